// The download helper: a Blob, an object URL and a temporary <a download>, revoked later.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  mimeTypeOf,
  REVOKE_AFTER_MS,
  saveBinaryFile,
  saveFile,
  saveTextFile
} from '@/shared/download'

let clicked: HTMLAnchorElement[]
beforeEach(() => {
  clicked = []
  vi.useFakeTimers()
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x')
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement
  ) {
    expect(this.isConnected).toBe(true) // Firefox only follows links that are in the document
    clicked.push(this)
  })
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('saveFile', () => {
  it('clicks a hidden link named after the file, removes it, and revokes the URL later', () => {
    saveFile(new Blob(['a,b\n']), 'run.csv')
    expect(clicked).toHaveLength(1)
    expect(clicked[0].download).toBe('run.csv')
    expect(clicked[0].getAttribute('href')).toBe('blob:x')
    expect(clicked[0].isConnected).toBe(false)
    expect(URL.revokeObjectURL).not.toHaveBeenCalled()
    vi.advanceTimersByTime(REVOKE_AFTER_MS)
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:x')
  })

  it('types text and binary files by their extension', async () => {
    saveTextFile({ fileName: 'run-1.csv', text: 'step,loss\n' })
    saveBinaryFile({ fileName: 'w.npz', bytes: new Uint8Array([1, 2]) })
    const blobs = vi.mocked(URL.createObjectURL).mock.calls.map(([blob]) => blob as Blob)
    expect(blobs.map((b) => b.type)).toEqual(['text/csv;charset=utf-8', 'application/octet-stream'])
    expect(await blobs[0].text()).toBe('step,loss\n')
    expect(mimeTypeOf('model.JSON')).toBe('application/json')
    expect(mimeTypeOf('noextension')).toBe('application/octet-stream')
  })
})
