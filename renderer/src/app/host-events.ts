// What the host sends without being asked: training events, application-menu commands and files
// opened from the menu. They arrive here, once, and each goes to the store it concerns. No store
// subscribes or passes another store's events on, so none imports another to receive them.

import { assertNever, type MenuCommand, type StudioApi, type TrainingEvent } from '@contract'
import { useOpenFilesStore } from '@/classify/open-files-store'
import { useEvaluationStore } from '@/evaluate/evaluation-store'
import { useModelStore } from '@/shared/model/model-store'
import { useTrainingStore } from '@/train/training-store'
import { useNavigationStore, type ViewName } from '@/shared/navigation-store'

/** Subscribes to everything the host pushes, for the window's lifetime (never undone). */
export function connectHost(studio: StudioApi): void {
  studio.onTrainingEvent(receiveTrainingEvent)
  studio.onMenuCommand(runMenuCommand)
  // File › Open Images… / Load Model…: main's native dialog read the files; they go where a drop goes.
  studio.onOpenedFiles((opened) => void useOpenFilesStore().openFromDialog(opened))
}

/** Hands one training event to the stores it concerns. */
export function receiveTrainingEvent(event: TrainingEvent): void {
  if (event.type === 'evaluationProgress') {
    useEvaluationStore().receiveProgress(event.done, event.total)
    return
  }
  useTrainingStore().receive(event)
  const model = useModelStore()
  switch (event.type) {
    case 'modelLoaded':
      model.receiveLoaded(event.model)
      break
    // A run started, paused, resumed or ended, or the weights were reset (even from idle): the
    // model the host holds changed, so the model store asks which it is now.
    case 'started':
    case 'state':
    case 'finished':
    case 'diverged':
    case 'failed':
    case 'reset':
      void model.refresh()
      break
    // The same model further on: its summary is asked again when the run pauses or ends.
    case 'progress':
    case 'weights':
    case 'evaluation':
    case 'updated':
      break
    default:
      assertNever(event)
  }
}

/** The View menu's items and the view each shows. */
const SHOW_VIEW = {
  'show-train': 'train',
  'show-classify': 'classify',
  'show-evaluate': 'evaluate',
  'show-runs': 'runs',
  'show-explore': 'explore'
} as const satisfies Record<Extract<MenuCommand, `show-${string}`>, ViewName>

/** Does what an application-menu item asks. */
export function runMenuCommand(command: MenuCommand): void {
  switch (command) {
    case 'save-model':
      void useModelStore().saveModel()
      break
    case 'export-npz':
      void useModelStore().exportNpz()
      break
    case 'export-onnx':
      void useModelStore().exportOnnx()
      break
    default:
      useNavigationStore().show(SHOW_VIEW[command])
  }
}
