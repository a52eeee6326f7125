// core/vision: any RGBA image → the MNIST-style 28×28 input, the same code for the app and the CLI.

export { FRAME_CENTRE, FRAME_SIZE, DIGIT_BOX_SIZE } from './center'
export type { Backdrop } from './composite'
export type { Box, Plane, Rgb, RgbaImage } from './image'
export { luma } from './grey'
export {
  DEFAULT_PREPROCESS_OPTIONS,
  preprocessDigit,
  type NoDigitReason,
  type PreprocessOptions,
  type PreprocessResult,
  type PreprocessSteps
} from './preprocess'
export { checkFrames, type FrameBox } from './frames'
export {
  findJpegFrame,
  ImageFormatError,
  MAX_IMAGE_FILE_BYTES,
  MAX_IMAGE_PIXELS,
  MAX_IMAGE_SIDE,
  readImageHeader,
  type ImageFormat,
  type ImageHeader
} from './header'
