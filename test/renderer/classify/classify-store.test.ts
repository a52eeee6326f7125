// The Classify view's stores against a stub StudioApi and a fake decoder (classify-fakes.ts): a drop
// becomes cards in order, each with its prediction or its own error; model files load instead
// (open-files-store); and selection (classify-store). Predictions that follow the weights and the
// drawing are in classify-predictor.test.ts.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isProxy } from 'vue'
import { DRAWING_ID, MAX_GALLERY_ITEMS } from '@/classify/classify-item'
import { useNavigationStore } from '@/shared/navigation-store'
import { solidImage } from '../../helpers/synthetic-digit'
import { digitImage, flush, imageFile, studio, summary } from './classify-fakes'
import { freshClassifyStores, type ClassifyStores } from './classify-stores'
import { pngBytes, text } from './classify-files'

vi.mock('@/shared/api', async () => (await import('./classify-fakes')).fakeApiModule())
vi.mock('@/classify/image-processor', async () =>
  (await import('./classify-fakes')).fakeImageProcessorModule()
)

let classify: ClassifyStores['classify']
let files: ClassifyStores['files']
let pad: ClassifyStores['pad']
let predictor: ClassifyStores['predictor']

beforeEach(() => {
  ;({ classify, files, pad, predictor } = freshClassifyStores())
})

afterEach(() => {
  vi.useRealTimers()
})

describe('open-files store', () => {
  it('turns a drop into cards in order, each with its prediction or its own error, and shows the first', async () => {
    const dropped = [
      imageFile('seven.png'),
      new File([text('just some notes')], 'notes.png'),
      new File([], 'empty.png'),
      new File([text('<svg xmlns="http://www.w3.org/2000/svg"/>')], 'drawing.svg'),
      new File([pngBytes(100_000, 100_000)], 'huge.png'),
      imageFile('blank.png', solidImage(60, 40, [255, 255, 255, 255])),
      new File([pngBytes(30, 30)], 'corrupt.png'), // a good header; the decoder rejects the data
      imageFile('photo.jpg') // a PNG named .jpg: decoded by content
    ]
    await files.openFiles(dropped)
    await flush()

    expect(useNavigationStore().view).toBe('classify')
    const items = classify.items
    expect(items.map((i) => i.name)).toEqual(dropped.map((f) => f.name))
    const byName = Object.fromEntries(items.map((i) => [i.name, i]))
    expect(byName['seven.png']).toMatchObject({
      stage: 'ready',
      prediction: { predicted: 7 },
      error: null
    })
    expect(byName['photo.jpg']).toMatchObject({
      stage: 'ready',
      header: { format: 'png' },
      prediction: { predicted: 7 }
    })
    expect(byName['notes.png']).toMatchObject({
      stage: 'failed',
      problem: 'file',
      error: expect.stringMatching(/^This is a text file/)
    })
    expect(byName['empty.png'].error).toBe('The file is empty (0 bytes)')
    expect(byName['drawing.svg'].error).toMatch(/^SVG drawings are not supported/)
    expect(byName['huge.png'].error).toMatch(/100000×100000 pixels/)
    expect(byName['blank.png']).toMatchObject({
      stage: 'failed',
      problem: 'no-digit',
      error: expect.stringMatching(/^No digit found/)
    })
    expect(byName['blank.png'].preview).not.toBeNull()
    expect(byName['corrupt.png'].error).toBe(
      'The PNG file is corrupt: its image data could not be decoded'
    )
    expect(studio.predict).toHaveBeenCalledTimes(2) // the two good images
    expect(classify.selected?.name).toBe('seven.png')
    expect(classify.counts).toEqual({ total: 8, ready: 2, failed: 6 })
    expect(files.pending).toBe(0)
    // The 784 inputs reach the host as plain typed arrays, never Vue proxies.
    const sent = studio.predict.mock.calls.at(-1)![0]
    expect(sent).toBeInstanceOf(Float32Array)
    expect(isProxy(sent)).toBe(false)
    expect(sent).toHaveLength(784)
  })

  it('puts a new drop first, keeps the gallery bounded, and caps a drop at 100 files with a notice', async () => {
    await files.openFiles([imageFile('first.png')])
    const many = Array.from(
      { length: 103 },
      (_, i) => new File([text(`note ${i}`)], `note-${i}.txt`)
    )
    await files.openFiles(many)
    expect(files.notice).toMatchObject({
      tone: 'info',
      text: 'Opened the first 100 of 103 files; add the other 3 in another batch.'
    })
    expect(classify.items).toHaveLength(101)
    expect(classify.items[0].name).toBe('note-0.txt')
    expect(classify.items.at(-1)!.name).toBe('first.png')
    await files.openFiles(many.slice(0, 100))
    expect(classify.items).toHaveLength(MAX_GALLERY_ITEMS)
  })

  it('loads a dropped model file (content starts with "{") instead of showing it as an image', async () => {
    studio.importModel.mockResolvedValue(summary('loaded', 'mlp.json'))
    const model = new File([text('{"format":"backprop-studio-model"}')], 'mlp.json')
    await files.openFiles([model])
    expect(studio.importModel).toHaveBeenCalledWith(
      '{"format":"backprop-studio-model"}',
      'mlp.json'
    )
    expect(classify.items).toHaveLength(0)
    expect(useNavigationStore().view).toBe('train') // nothing to classify: the view stays where the user is
    expect(files.notice).toMatchObject({
      tone: 'success',
      text: 'Loaded model mlp.json (784 → 128 ReLU → 10): the studio uses its weights now.'
    })
    expect(predictor.description.text).toMatch(
      /^Model file mlp\.json · 784 → 128 ReLU → 10 · 97\.50% on the test set/
    )
  })

  it('says why a model file was refused, and changes nothing', async () => {
    studio.importModel.mockRejectedValue(new Error('not a Backprop Studio model file'))
    await files.openFiles([new File([text('{"nope":1}')], 'other.json'), imageFile('seven.png')])
    expect(files.notice).toMatchObject({
      tone: 'error',
      text: 'Could not load the model: other.json: not a Backprop Studio model file'
    })
    expect(classify.items.map((i) => i.name)).toEqual(['seven.png'])
  })

  it('opens files from the native Open dialog like a drop: a model loads, images get cards, refusals are told', async () => {
    studio.importModel.mockResolvedValue(summary('loaded', 'mlp.json'))
    await files.openFromDialog([
      { name: 'mlp.json', bytes: text('{"format":"backprop-studio-model"}') }
    ])
    expect(studio.importModel).toHaveBeenCalledWith(
      '{"format":"backprop-studio-model"}',
      'mlp.json'
    )
    await files.openFromDialog([
      { name: 'huge.png', error: 'huge.png is 70 MB; files above 64 MB are not opened' },
      { name: 'seven.png', bytes: pngBytes(120, 100) }
    ])
    expect(classify.items.map((i) => i.name)).toEqual(['seven.png'])
    expect(files.notice).toMatchObject({
      tone: 'error',
      text: 'huge.png is 70 MB; files above 64 MB are not opened.'
    })
  })

  it('names pasted images and keeps the card of a file removed before its turn out of the work', async () => {
    const file = imageFile('image.png')
    await files.openFiles([{ file, name: 'Pasted image' }], 'paste')
    expect(classify.items[0]).toMatchObject({
      name: 'Pasted image',
      source: 'paste',
      stage: 'ready'
    })
  })
})

describe('classify store: selection', () => {
  it('selects a card, and after removing the selected one shows its neighbour', async () => {
    await files.openFiles([imageFile('a.png'), imageFile('b.png'), imageFile('c.png')])
    const [a, b, c] = classify.items
    classify.select(b.id)
    expect(classify.selected?.name).toBe('b.png')
    classify.remove(b.id)
    expect(classify.selected?.name).toBe('c.png')
    classify.remove(c.id)
    expect(classify.selected?.name).toBe('a.png')
    classify.remove(a.id)
    expect(classify.selected).toBeNull()
  })

  it('clears the gallery but keeps the drawing', async () => {
    await files.openFiles([imageFile('a.png')])
    pad.classifyDrawing(digitImage())
    classify.select(classify.items[0].id)
    classify.clearGallery()
    expect(classify.items).toHaveLength(0)
    expect(classify.selectedId).toBe(DRAWING_ID)
  })
})
