// The Classify view's state: the gallery of images the user dropped, pasted or opened, the drawing, which
// one the big panel shows, and their predictions from the current model (re-asked when the weights change).
// Files go through image-input.ts (identify by content, limits) and the image worker (decode,
// core/vision); this store only orders the work, keeps the results and asks the host for predictions.

import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef, watch } from 'vue'
import type { ModelSummary, OpenedFile, Prediction } from '@contract'
import { describeArchitecture } from '@core/nn/architecture'
import type { ImageHeader, PreprocessSteps, RgbaImage } from '@core/vision/index'
import { useStudio } from '@/shared/api'
import { formatPercent } from '@/shared/format'
import {
  capFiles,
  identifyBlob,
  MAX_FILES_PER_DROP,
  prepareImage,
  sentence,
  type NamedFile,
  type PreviewImage
} from './image-input'
import { imageProcessor } from './image-processor'
import { explainPredictError } from './image-prediction'
import { useModelStore } from '@/shared/model/model-store'
import { useNavigationStore } from '@/app/navigation-store'
import { useTrainingStore } from '@/train/training-store'

export type ItemSource = 'file' | 'paste' | 'drawing'

/** queued → reading → ready (has the 28×28 input) or failed (a bad file, or no digit in it). */
export type ItemStage = 'queued' | 'reading' | 'ready' | 'failed'

/** One image: a card in the gallery, or the drawing. Replaced as a whole on every change. */
export interface ClassifyItem {
  readonly id: number
  readonly name: string
  readonly source: ItemSource
  readonly stage: ItemStage
  readonly header: ImageHeader | null
  readonly preview: PreviewImage | null
  /** The 784 values the network sees (markRaw: never proxied). */
  readonly input: Float32Array | null
  readonly steps: PreprocessSteps | null
  /** For 'failed': a bad file, or an image with no digit in it; and why, as a sentence. */
  readonly problem: 'file' | 'no-digit' | null
  readonly error: string | null
  readonly prediction: Prediction | null
  readonly predictionError: string | null
  /** True while the first prediction is on its way (refreshes keep showing the previous one). */
  readonly predicting: boolean
}

export type NoticeTone = 'info' | 'success' | 'error'

/** A message about a drop as a whole (too many files, a model file loaded or refused). */
export interface Notice {
  readonly id: number
  readonly tone: NoticeTone
  readonly text: string
}

/** The drawing's id: the big panel shows it when `selectedId` is this. */
export const DRAWING_ID = 0
/** The gallery keeps the newest this many images; older ones drop off the end. */
export const MAX_GALLERY_ITEMS = 200
/** While a run trains, the gallery is re-classified with the latest weights at most this often. */
export const RECLASSIFY_INTERVAL_MS = 1500
/** Signals of one model change (a run's end, then the model store's refresh) closer than this make one pass. */
export const SETTLE_MS = 200
/** Predictions asked of the host at once when re-classifying the gallery. */
const PREDICT_CONCURRENCY = 3

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** "Weights of the last run · step 1500 · 91.2% on the test set", "Model file mlp.json · 784 → 128 ReLU → 10". */
function describeModel(summary: ModelSummary): string {
  const accuracy = summary.metrics.testAccuracy
  const test = accuracy === undefined ? '' : ` · ${formatPercent(accuracy)} on the test set`
  switch (summary.source) {
    case 'loaded':
      return `Model file ${summary.fileName ?? ''} · ${describeArchitecture(summary.architecture)}${test}`
    case 'reset':
      return 'Untrained weights (just reset): train for meaningful predictions'
    case 'run':
      return `Weights of the last run · step ${summary.step}${test}`
  }
}

function newItem(id: number, name: string, source: ItemSource): ClassifyItem {
  return {
    id,
    name,
    source,
    stage: 'queued',
    header: null,
    preview: null,
    input: null,
    steps: null,
    problem: null,
    error: null,
    prediction: null,
    predictionError: null,
    predicting: false
  }
}

/** Runs `work` over `ids`, at most `limit` at a time. */
async function forEachLimited(
  ids: readonly number[],
  limit: number,
  work: (id: number) => Promise<void>
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < ids.length) await work(ids[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, ids.length) }, worker))
}

export const useClassifyStore = defineStore('classify', () => {
  const training = useTrainingStore()
  const model = useModelStore()
  const navigation = useNavigationStore()

  /** Newest first. */
  const items = shallowRef<readonly ClassifyItem[]>([])
  const drawing = shallowRef<ClassifyItem | null>(null)
  const selectedId = ref<number | null>(null)
  const notice = shallowRef<Notice | null>(null)
  /** Files waiting to be read or being read. */
  const pending = ref(0)

  /** Whether the host has a model, as far as this window's predictions have seen (null: not known yet). */
  const hasModel = ref<boolean | null>(null)

  let nextId = 1
  let nextNoticeId = 1
  let drawingCount = 0
  let work: Promise<void> = Promise.resolve()
  const files = new Map<number, NamedFile>()

  const selected = computed<ClassifyItem | null>(() => {
    if (selectedId.value === DRAWING_ID) return drawing.value
    return items.value.find((item) => item.id === selectedId.value) ?? null
  })
  const counts = computed(() => {
    let ready = 0
    let failed = 0
    for (const item of items.value) {
      if (item.stage === 'ready') ready++
      else if (item.stage === 'failed') failed++
    }
    return { total: items.value.length, ready, failed, pending: pending.value }
  })
  /** One line saying which weights the predictions use. */
  const predictor = computed((): { state: 'live' | 'ready' | 'none'; text: string } => {
    const status = training.status
    if (status === 'running' || status === 'paused' || status === 'starting') {
      return { state: 'live', text: `Live weights of the current run · step ${training.step}` }
    }
    if (model.current) return { state: 'ready', text: describeModel(model.current) }
    if (status === 'finished' || status === 'stopped' || status === 'failed') {
      return { state: 'ready', text: `Weights of the last run · step ${training.step}` }
    }
    if (hasModel.value) return { state: 'ready', text: 'The studio’s current model' }
    return { state: 'none', text: 'No model yet: train one or load a model file' }
  })

  // ── items ──

  function patch(id: number, changes: Partial<ClassifyItem>): void {
    if (id === DRAWING_ID) {
      if (drawing.value) drawing.value = { ...drawing.value, ...changes }
      return
    }
    items.value = items.value.map((item) => (item.id === id ? { ...item, ...changes } : item))
  }

  const find = (id: number): ClassifyItem | null =>
    id === DRAWING_ID ? drawing.value : (items.value.find((item) => item.id === id) ?? null)

  function showNotice(tone: NoticeTone, text: string): void {
    notice.value = { id: nextNoticeId++, tone, text }
  }

  function dismissNotice(): void {
    notice.value = null
  }

  function select(id: number | null): void {
    selectedId.value = id
  }

  function remove(id: number): void {
    const index = items.value.findIndex((item) => item.id === id)
    if (index < 0) return
    files.delete(id)
    items.value = items.value.filter((item) => item.id !== id)
    if (selectedId.value === id)
      selectedId.value =
        (items.value[index] ?? items.value[index - 1])?.id ?? (drawing.value ? DRAWING_ID : null)
  }

  function clearGallery(): void {
    files.clear()
    items.value = []
    if (selectedId.value !== DRAWING_ID) selectedId.value = drawing.value ? DRAWING_ID : null
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
    const images: { entry: NamedFile; identified: Awaited<ReturnType<typeof identifyBlob>> }[] = []
    const models: NamedFile[] = []
    for (const entry of accepted) {
      const identified = await identifyBlob(entry.file)
      if (identified.identity.kind === 'model') models.push(entry)
      else images.push({ entry, identified })
    }
    if (images.length > 0) {
      navigation.show('classify')
      const batch = images.map(({ entry }) => {
        const item = newItem(nextId++, entry.name, source)
        files.set(item.id, entry)
        return item
      })
      const kept = [...batch, ...items.value].slice(0, MAX_GALLERY_ITEMS)
      for (const id of files.keys()) if (!kept.some((item) => item.id === id)) files.delete(id)
      items.value = kept
      selectedId.value = batch[0].id
      pending.value += batch.length
      const jobs = batch.map((item, i) => ({ id: item.id, identified: images[i].identified }))
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
    const files = opened.flatMap((entry) =>
      'bytes' in entry ? [new File([entry.bytes as Uint8Array<ArrayBuffer>], entry.name)] : []
    )
    if (files.length > 0) await openFiles(files)
  }

  async function readBatch(
    jobs: readonly { id: number; identified: Awaited<ReturnType<typeof identifyBlob>> }[]
  ): Promise<void> {
    for (const { id, identified } of jobs) {
      const entry = files.get(id)
      files.delete(id)
      if (!entry || !find(id)) {
        pending.value--
        continue // removed before its turn
      }
      patch(id, { stage: 'reading' })
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
        patch(id, {
          stage: 'ready',
          header: outcome.header,
          preview: outcome.preview,
          input: markRaw(outcome.input),
          steps: outcome.steps
        })
        void predictItem(id)
      } else {
        patch(id, {
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
    hasModel.value = true
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

  // ── predictions ──

  /** Asks the host to classify one item's 28×28 input with the current weights. */
  async function predictItem(id: number): Promise<void> {
    if (id === DRAWING_ID) return predictDrawing()
    const item = find(id)
    if (!item?.input) return
    if (!item.prediction) patch(id, { predicting: true })
    try {
      const prediction = await useStudio().predict(item.input)
      hasModel.value = true
      patch(id, { prediction, predictionError: null, predicting: false })
    } catch (err) {
      patch(id, {
        prediction: null,
        predictionError: explainPredictError(messageOf(err)),
        predicting: false
      })
    }
  }

  // The drawing changes up to ~15 times a second: one prediction in flight, then one for the newest input.
  let drawingInFlight = false
  let drawingDirty = false

  async function predictDrawing(): Promise<void> {
    if (drawingInFlight) {
      drawingDirty = true
      return
    }
    drawingInFlight = true
    try {
      do {
        drawingDirty = false
        const current = drawing.value
        if (!current?.input) break
        try {
          const prediction = await useStudio().predict(current.input)
          hasModel.value = true
          if (drawing.value?.input === current.input)
            patch(DRAWING_ID, { prediction, predictionError: null, predicting: false })
        } catch (err) {
          if (drawing.value?.input === current.input) {
            patch(DRAWING_ID, {
              prediction: null,
              predictionError: explainPredictError(messageOf(err)),
              predicting: false
            })
          }
        }
      } while (drawingDirty)
    } finally {
      drawingInFlight = false
      notifyDrawingIdle()
    }
  }

  // The pad sends its pixels up to ~15 times a second: one in the worker at a time, then the newest.
  let nextDrawing: RgbaImage | null = null
  let processingDrawing = false
  /** Bumped when the pad is cleared: results for drawings from before are dropped. */
  let drawingEpoch = 0

  /**
   * The draw pad's pixels (null when cleared): preprocessed by core/vision like any image (in the
   * image worker), shown in the big panel, and classified. Only the newest drawing counts.
   */
  function classifyDrawing(image: RgbaImage | null): void {
    if (!image) {
      drawingEpoch++
      nextDrawing = null
      drawing.value = null
      if (selectedId.value === DRAWING_ID) selectedId.value = items.value[0]?.id ?? null
      return
    }
    drawing.value ??= { ...newItem(DRAWING_ID, 'Your drawing', 'drawing'), stage: 'reading' }
    selectedId.value = DRAWING_ID
    nextDrawing = image
    if (!processingDrawing) void processDrawings()
  }

  async function processDrawings(): Promise<void> {
    processingDrawing = true
    try {
      while (nextDrawing) {
        const image = nextDrawing
        const epoch = drawingEpoch
        nextDrawing = null
        let processed: Awaited<ReturnType<typeof imageProcessor.processPixels>>
        try {
          processed = await imageProcessor.processPixels(image)
        } catch (err) {
          if (epoch === drawingEpoch && drawing.value)
            patch(DRAWING_ID, { stage: 'failed', problem: 'file', error: sentence(messageOf(err)) })
          continue
        }
        if (epoch !== drawingEpoch || !drawing.value) continue // cleared meanwhile
        const { preview, result } = processed
        drawing.value = result.ok
          ? {
              ...drawing.value,
              stage: 'ready',
              preview,
              input: markRaw(result.input),
              steps: result.steps,
              problem: null,
              error: null,
              predicting: !drawing.value.prediction
            }
          : {
              ...drawing.value,
              stage: 'failed',
              preview,
              input: null,
              steps: null,
              problem: 'no-digit',
              error: sentence(result.message),
              prediction: null,
              predictionError: null,
              predicting: false
            }
        if (result.ok) void predictDrawing()
      }
    } finally {
      processingDrawing = false
      notifyDrawingIdle()
    }
  }

  /** Resolved whenever the drawing's pipeline (preprocessing, then prediction) has nothing left to do. */
  let drawingIdleWaiters: (() => void)[] = []

  function drawingBusy(): boolean {
    return processingDrawing || drawingInFlight || nextDrawing !== null
  }

  function notifyDrawingIdle(): void {
    if (drawingBusy()) return
    const waiters = drawingIdleWaiters
    drawingIdleWaiters = []
    for (const resolve of waiters) resolve()
  }

  const drawingIdle = (): Promise<void> =>
    drawingBusy() ? new Promise((resolve) => drawingIdleWaiters.push(resolve)) : Promise.resolve()

  /**
   * Keeps the drawing as a card in the gallery, as the pad shows it now. The store may still be a
   * stroke behind (an undo just before the click is still being preprocessed or classified), and a card
   * never changes after it is kept, so it waits for the pipeline to catch up: otherwise the card could
   * pair the new picture with the previous drawing's prediction.
   */
  async function keepDrawing(): Promise<void> {
    const epoch = drawingEpoch
    await drawingIdle() // waiters resume in click order, so two quick clicks keep theirs
    const current = drawing.value
    if (epoch !== drawingEpoch || !current || current.stage !== 'ready') return // cleared or no digit meanwhile
    const item: ClassifyItem = { ...current, id: nextId++, name: `Drawing ${++drawingCount}` }
    items.value = [item, ...items.value].slice(0, MAX_GALLERY_ITEMS)
  }

  let reclassifying: Promise<void> | null = null
  let again = false

  /** Re-asks every prediction (gallery and drawing) with the current weights; overlapping calls merge. */
  function reclassify(): Promise<void> {
    if (reclassifying) {
      again = true
      return reclassifying
    }
    reclassifying = (async () => {
      do {
        again = false
        stale = false
        lastReclassifyMs = Date.now()
        const ids = [
          ...(drawing.value?.input ? [DRAWING_ID] : []),
          ...items.value.filter((item) => item.input).map((item) => item.id)
        ]
        await forEachLimited(ids, PREDICT_CONCURRENCY, predictItem)
      } while (again)
    })().finally(() => {
      reclassifying = null
    })
    return reclassifying
  }

  // ── following the model: new weights → new predictions ──

  let stale = false
  let lastReclassifyMs = -Infinity
  let timer: ReturnType<typeof setTimeout> | null = null
  let soonTimer: ReturnType<typeof setTimeout> | null = null

  /**
   * The weights changed. Re-classify soon (`soon`: a run ended, a reset, a model loaded; the signals
   * of one change arriving within SETTLE_MS make one pass) or within RECLASSIFY_INTERVAL_MS (weights
   * streaming in during training). While another view is showing, only remember it, and catch up
   * when the Classify view is shown.
   */
  function weightsChanged(soon: boolean): void {
    stale = true
    const anything = drawing.value?.input || items.value.some((item) => item.input)
    if (!anything || navigation.view !== 'classify') return
    if (soon) {
      if (timer !== null) clearTimeout(timer)
      timer = null
      soonTimer ??= setTimeout(() => {
        soonTimer = null
        void reclassify()
      }, SETTLE_MS)
      return
    }
    if (timer !== null || soonTimer !== null) return
    const wait = Math.max(0, lastReclassifyMs + RECLASSIFY_INTERVAL_MS - Date.now())
    timer = setTimeout(() => {
      timer = null
      void reclassify()
    }, wait)
  }

  // The training store holds the one subscription to host events: watch it (and the model store it
  // feeds), never subscribe again.
  watch(
    () => training.weights,
    () => weightsChanged(false)
  )
  watch(
    () => training.status,
    (status, previous) => {
      // The model store re-reads the model on these too; both signals fall within SETTLE_MS.
      const ended = status === 'finished' || status === 'stopped'
      const reset = status === 'idle' && previous !== 'idle' && previous !== 'starting'
      if (ended || reset) weightsChanged(true)
    }
  )
  watch(
    () => model.current,
    () => weightsChanged(true)
  )
  watch(
    () => navigation.view,
    (view) => {
      if (view === 'classify' && stale) weightsChanged(true)
    }
  )

  return {
    items,
    drawing,
    selectedId,
    selected,
    notice,
    pending,
    counts,
    predictor,
    select,
    remove,
    clearGallery,
    openFiles,
    openFromDialog,
    classifyDrawing,
    keepDrawing,
    reclassify,
    showNotice,
    dismissNotice
  }
})
