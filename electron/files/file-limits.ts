// Every kind of file the Node side reads without having written it, and the most bytes it reads of one.
// The one table of these caps (the README repeats it): anything larger is refused before it is parsed.

import { MAX_IMAGE_FILE_BYTES } from '../../core'
import { MAX_MODEL_FILE_BYTES } from '../contract'
import type { UserFileKind } from './user-file'

const MiB = 1024 * 1024

export const USER_FILES = {
  /** An uncompressed 8192×8192 BMP at 32 bits per pixel, the largest image within the pixel limit. */
  image: { what: 'an image file', maxBytes: MAX_IMAGE_FILE_BYTES },
  /** MNIST's training images are 47 MB; 1 GiB holds 1.3 million 28×28 images. */
  idx: { what: 'an IDX file', maxBytes: 1024 * MiB },
  /**
   * The largest network the config allows (784 → 6 × 4096 → 10, 87 million float32 weights) is a
   * 465 MB file in base64. NOTE: also below V8's longest string (2^29 − 24 characters), so the text
   * of any file read fits in one string.
   */
  model: { what: 'a model file', maxBytes: 500 * MiB },
  /**
   * A model file a window loads (Load Model, a drop, browser mode's upload): what the page, the host
   * and the server all hold it to (MAX_MODEL_FILE_BYTES, in the contract the page reads).
   */
  windowModel: { what: 'a model file', maxBytes: MAX_MODEL_FILE_BYTES },
  /** settings.json holds a config and a few choices: a few KB. */
  settings: { what: 'a settings file', maxBytes: 1 * MiB },
  /** 20 000 recorded steps (MAX_RECORDED_STEPS) take about 3 MB. */
  run: { what: 'a run record', maxBytes: 64 * MiB }
} as const satisfies Record<string, UserFileKind>
