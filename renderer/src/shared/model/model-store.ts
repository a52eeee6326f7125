// The model the studio holds (from a run, a reset or a loaded file): what it is, and loading, saving
// and exporting it. The window-wide drop handler and the application menu call these actions too;
// app/host-events.ts asks it to refresh whenever the host's events say the model changed.

import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { MAX_MODEL_FILE_BYTES, type ModelSummary } from '@contract'
import { modelFileFormat } from '@core/io/model-format'
import { useStudio } from '@/shared/api'
import { saveBinaryFile, saveTextFile } from '@/shared/download'

/** What the model bar is doing; one at a time. */
export type ModelTask = 'idle' | 'loading' | 'saving' | 'exporting'

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export const useModelStore = defineStore('model', () => {
  const current = shallowRef<ModelSummary | null>(null)
  const error = shallowRef<string | null>(null)
  /** The last thing done, said politely to screen readers ("Loaded digits.json"). */
  const notice = shallowRef<string | null>(null)
  const task = ref<ModelTask>('idle')

  async function runTask(kind: ModelTask, action: () => Promise<string>): Promise<boolean> {
    task.value = kind
    error.value = null
    notice.value = null
    try {
      notice.value = await action()
      return true
    } catch (err) {
      error.value = messageOf(err)
      return false
    } finally {
      task.value = 'idle'
    }
  }

  /** Asks the host which model it holds now (after a run ends, a reset or a load). */
  async function refresh(): Promise<void> {
    try {
      const model = await useStudio().getModel()
      // Only a different model replaces the shown one: watchers (Classify re-predicts) need not run.
      if (JSON.stringify(model) !== JSON.stringify(current.value)) current.value = model
    } catch (err) {
      error.value = `Could not read the current model: ${messageOf(err)}`
    }
  }

  /**
   * Reads a model file the user dropped or opened (ours, or ONNX: told apart by content) and makes it
   * the current model; a bad file changes nothing.
   */
  async function importModelFile(file: File): Promise<boolean> {
    if (file.size > MAX_MODEL_FILE_BYTES) {
      error.value = `${file.name} is ${(file.size / 1e6).toFixed(0)} MB: too large to be a model file`
      notice.value = null
      return false
    }
    return runTask('loading', async () => {
      try {
        const bytes = new Uint8Array(await file.arrayBuffer())
        current.value =
          modelFileFormat(bytes) === 'onnx'
            ? await useStudio().importOnnx(bytes, file.name)
            : await useStudio().importModel(new TextDecoder().decode(bytes), file.name)
      } catch (err) {
        throw new Error(`${file.name}: ${messageOf(err)}`)
      }
      return `Loaded ${file.name}`
    })
  }

  /** The current model as a model file: a download in browser mode, the save dialog in Electron. */
  function saveModel(): Promise<boolean> {
    return runTask('saving', async () => {
      const file = await useStudio().exportModel()
      saveTextFile(file)
      return `Saved the model as ${file.fileName}`
    })
  }

  /** The weights as .npz for numpy (np.load), shaped like the original numpy project's. */
  function exportNpz(): Promise<boolean> {
    return runTask('exporting', async () => {
      const file = await useStudio().exportNpz()
      saveBinaryFile(file)
      return `Exported the weights as ${file.fileName}`
    })
  }

  /** The network as ONNX, for ONNX Runtime, Netron or PyTorch (opset 17; see the README). */
  function exportOnnx(): Promise<boolean> {
    return runTask('exporting', async () => {
      const file = await useStudio().exportOnnx()
      saveBinaryFile(file)
      return `Exported the model as ${file.fileName}`
    })
  }

  /** The host's modelLoaded event (from this window or the menu's load). */
  function receiveLoaded(model: ModelSummary): void {
    current.value = model
  }

  function dismissError(): void {
    error.value = null
  }

  return {
    current,
    error,
    notice,
    task,
    refresh,
    importModelFile,
    saveModel,
    exportNpz,
    exportOnnx,
    receiveLoaded,
    dismissError
  }
})
