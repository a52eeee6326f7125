// Files the user gives the studio, dropped or pasted anywhere on the window or chosen in an Open
// dialog: model files (JSON) are loaded as the current model; images become cards, read one after
// another (image-input.ts identifies them by content, the image worker decodes them) and classified.

import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import type { OpenedFile } from '@contract'
import { describeArchitecture } from '@core/nn/architecture'
import { useNavigationStore } from '@/shared/navigation-store'
import { useModelStore } from '@/shared/model/model-store'
import { newItem } from './classify-item'
import { useClassifyStore } from './classify-store'
import {
  capFiles,
  identifyBlob,
  MAX_FILES_PER_DROP,
  prepareImage,
  sentence,
  type NamedFile
} from './image-input'
import { imageProcessor } from './image-processor'
import { usePredictionsStore } from './predictions-store'

export type NoticeTone = 'info' | 'success' | 'error'

/** A message about a drop as a whole (too many files, a model file loaded or refused). */
export interface Notice {
  readonly id: number
  readonly tone: NoticeTone
  readonly text: string
}

type Identified = Awaited<ReturnType<typeof identifyBlob>>

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

export const useOpenFilesStore = defineStore('classify-files', () => {
  const classify = useClassifyStore()
  const predictions = usePredictionsStore()
  const model = useModelStore()
  const navigation = useNavigationStore()

  const notice = shallowRef<Notice | null>(null)
  /** Files waiting to be read or being read. */
  const pending = ref(0)

  let nextNoticeId = 1
  /** The files behind the cards still to be read, by card id. */
  const files = new Map<number, NamedFile>()
  /** Batches are read one after another, in the order they were opened. */
  let work: Promise<void> = Promise.resolve()

  function showNotice(tone: NoticeTone, text: string): void {
    notice.value = { id: nextNoticeId++, tone, text }
  }

  function dismissNotice(): void {
    notice.value = null
  }

  /**
   * Everything the user dropped, pasted or opened: model files (JSON) are loaded as the current model;
   * images become cards, read one after another (the window stays responsive) and classified. At most
   * MAX_FILES_PER_DROP files are taken; a notice says how many were left out.
   */
  async function openFiles(
    given: readonly (File | NamedFile)[],
    source: 'file' | 'paste' = 'file'
  ): Promise<void> {
    const named = given.map((entry): NamedFile =>
      entry instanceof Blob ? { file: entry, name: entry.name || 'Untitled' } : entry
    )
    const { accepted, skipped } = capFiles(named)
    if (skipped > 0) {
      showNotice(
        'info',
        `Opened the first ${MAX_FILES_PER_DROP} of ${named.length} files; add the other ${skipped} in another batch.`
      )
    }
    const images: { entry: NamedFile; identified: Identified }[] = []
    const models: NamedFile[] = []
    for (const entry of accepted) {
      const identified = await identifyBlob(entry.file)
      if (identified.identity.kind === 'model') models.push(entry)
      else images.push({ entry, identified })
    }
    if (images.length > 0) {
      navigation.show('classify')
      const cards = images.map(({ entry }) => {
        const card = newItem(classify.newCardId(), entry.name, source)
        files.set(card.id, entry)
        return card
      })
      classify.addCards(cards)
      for (const id of files.keys()) if (!classify.find(id)) files.delete(id) // pushed off the end
      classify.select(cards[0].id)
      pending.value += cards.length
      const jobs = cards.map((card, i) => ({ id: card.id, identified: images[i].identified }))
      work = work.then(() => readBatch(jobs))
    }
    for (const entry of models) await importModel(entry)
    await work
  }

  /**
   * Files chosen in the File menu's native Open dialog (Electron): opened like dropped files; a file
   * main refused to read (too large) is reported in the notice.
   */
  async function openFromDialog(opened: readonly OpenedFile[]): Promise<void> {
    const refused = opened
      .filter((entry) => 'error' in entry)
      .map((entry) => ('error' in entry ? entry.error : ''))
    if (refused.length > 0) showNotice('error', `${refused.join('; ')}.`) // not sentence(): a file name keeps its case
    const read = opened.flatMap((entry) =>
      'bytes' in entry ? [new File([entry.bytes as Uint8Array<ArrayBuffer>], entry.name)] : []
    )
    if (read.length > 0) await openFiles(read)
  }

  async function readBatch(jobs: readonly { id: number; identified: Identified }[]): Promise<void> {
    for (const { id, identified } of jobs) {
      const entry = files.get(id)
      files.delete(id)
      if (!entry || !classify.find(id)) {
        pending.value--
        continue // removed before its turn
      }
      classify.patch(id, { stage: 'reading' })
      let outcome: Awaited<ReturnType<typeof prepareImage>>
      try {
        outcome = await prepareImage(entry.file, imageProcessor, identified)
      } catch (err) {
        // prepareImage turns every known problem into a message; anything else is still only this file's.
        outcome = {
          ok: false,
          problem: 'file',
          message: `this file could not be read (${messageOf(err)})`,
          header: null,
          preview: null
        }
      }
      if (outcome.ok) {
        classify.patch(id, {
          stage: 'ready',
          header: outcome.header,
          preview: outcome.preview,
          input: markRaw(outcome.input),
          steps: outcome.steps
        })
        void predictions.predictCard(id)
      } else {
        classify.patch(id, {
          stage: 'failed',
          header: outcome.header,
          preview: outcome.preview,
          problem: outcome.problem,
          error: sentence(outcome.message)
        })
      }
      pending.value--
      await nextTask() // let the window paint and respond between files
    }
  }

  async function importModel(entry: NamedFile): Promise<void> {
    const file = entry.file instanceof File ? entry.file : new File([entry.file], entry.name)
    await model.importModelFile(file)
    if (model.error) {
      showNotice('error', `Could not load the model: ${model.error}`)
      return
    }
    predictions.modelLoaded()
    const loaded = model.current
    // What changes for the learner depends on where they are: the gallery here, the weights elsewhere.
    const effect =
      navigation.view === 'classify' ? 'classifying with it now' : 'the studio uses its weights now'
    showNotice(
      'success',
      loaded
        ? `Loaded model ${entry.name} (${describeArchitecture(loaded.architecture)}): ${effect}.`
        : `Loaded model ${entry.name}.`
    )
  }

  return { notice, pending, openFiles, openFromDialog, showNotice, dismissNotice }
})
