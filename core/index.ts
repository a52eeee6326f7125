// The engine's public API. Everything here is pure TypeScript: no files, no screen, no clock.

export {
  descentStep,
  explainBackward,
  formatNumber,
  gradientDescent,
  topologicalOrder,
  traceGraph,
  Value,
  type BackwardStep,
  type ChainRuleTerm,
  type Descent,
  type GraphNode,
  type ValueGraph,
  type ValueOp
} from './autograd'
export {
  CheckpointFileError,
  ConfigError,
  IdxFormatError,
  ModelFileError,
  ShapeError
} from './errors'
export {
  createRng,
  deriveRng,
  randn,
  shuffleInPlace,
  uniform,
  type Rng,
  type SeededRng
} from './random'

export { Matrix, MatrixBuffer } from './tensor/matrix'
export * from './tensor/matmul'
export * from './tensor/conv'

export {
  Activation,
  ACTIVATION_KINDS,
  ACTIVATIONS,
  createActivation,
  type ActivationFunction,
  type ActivationKind
} from './nn/activations'
export {
  denseArchitecture,
  denseForm,
  denseWidths,
  describeArchitecture,
  describeLayer,
  imageMismatch,
  inputShapeOfSize,
  inputSize,
  isConvolutional,
  layerNames,
  MNIST_CLASSES,
  MNIST_INPUT_SHAPE,
  MNIST_PIXELS,
  type ConvPadding,
  type ConvSpec,
  type DenseArchitecture,
  type DenseSpec,
  type LayerActivation,
  type LayerKind,
  type LayerSpec,
  type ModelArchitecture
} from './nn/architecture'
export {
  countParameters,
  inferShapes,
  paddingOf,
  parameterShapes,
  shapeSize,
  traceShapes,
  type LayerShape,
  type ShapeTrace,
  type TensorShape
} from './nn/shapes'
export { multiplyAddsPerSample } from './nn/work'
export {
  architectureSlug,
  commonActivation,
  formatLayerList,
  shortArchitecture,
  parseLayerList
} from './nn/layer-syntax'
export { Conv2D, type ImageShape } from './nn/conv2d'
export { Dense } from './nn/dense'
export { Dropout } from './nn/dropout'
export { Flatten } from './nn/flatten'
export { MaxPool2D } from './nn/maxpool2d'
export { INIT_KINDS, initialiseWeights, type InitKind } from './nn/init'
export { createParameter, type Layer, type Parameter } from './nn/layer'
export { Sequential } from './nn/sequential'
export { firstLayerSnapshot, type WeightRows, type WeightSnapshot } from './nn/first-layer'
export { argmax, logSumExp, softmaxRow } from './nn/softmax'
export { SoftmaxCrossEntropy } from './nn/softmax-cross-entropy'

export { Adam, type AdamOptions } from './optim/adam'
export type { FusedAdam, FusedSgd, FusedUpdate } from './optim/fused-update'
export type { Optimizer, SlotName } from './optim/optimizer'
export { Sgd, type SgdOptions } from './optim/sgd'

export {
  augmentationRng,
  augmentBatch,
  describeAugmentation,
  drawWarp,
  isAugmenting,
  NO_AUGMENTATION,
  warpImage,
  type Augmentation,
  type Warp
} from './data/augment'
export {
  assertLabelsBelow,
  classCount,
  datasetFromIdx,
  fillBatch,
  fillBatchPixels,
  sequentialOrder,
  takeFirst,
  type Dataset
} from './data/dataset'
export {
  encodeIdx,
  parseIdx,
  parseIdxImages,
  parseIdxLabels,
  type IdxArray,
  type IdxImages
} from './data/idx'

export {
  checkNumber,
  CONFIG_LIMITS,
  DEFAULT_ADAM,
  DEFAULT_SGD,
  describeLimit,
  OPTIMIZER_KINDS,
  parseArchitecture,
  parseLayer,
  parseTrainConfig,
  type LimitedField,
  type NumericLimit,
  type OptimizerConfig,
  type OptimizerKind,
  type TrainConfig
} from './train/config'
export { classify, type Classification } from './train/classify'
export { evaluate, EvaluationTally, type EvaluateOptions, type Evaluation } from './train/evaluate'
export { evaluateFast } from './train/fast-evaluate'
export {
  describeDivergence,
  DIVERGENCE_SMOOTHING,
  DivergenceWatch,
  EXPLOSION_FACTOR,
  TrainingDivergedError,
  type Divergence,
  type DivergenceKind
} from './train/divergence'
export {
  allFinite,
  deadUnitFraction,
  HEALTH_BINS,
  histogram,
  l2Norm,
  updateRatio,
  type HealthSample,
  type Histogram,
  type LayerHealth
} from './train/health'
export { HEALTH_HISTORY_LIMIT, healthAt, HealthHistory } from './train/health-history'
export { HealthProbe } from './train/health-probe'
export {
  DEAD_LAYER_FRACTION,
  describeAlarm,
  EXPLODING_GRADIENT_FACTOR,
  GRADIENT_HISTORY,
  GRADIENT_HISTORY_MIN,
  HealthWatch,
  median,
  type HealthAlarm,
  type HealthAlarmKind
} from './train/health-watch'
export {
  appendChanges,
  liveChanges,
  settingAt,
  settingHistory,
  settingOf,
  type LiveSetting,
  type SettingChange
} from './train/live-changes'
export { createOptimizer } from './train/optimizers'
export {
  DEFAULT_TRAIN_CONFIG,
  isPresetName,
  PRESET_NAMES,
  PRESETS,
  type Preset,
  type PresetName
} from './train/presets'
export {
  batchesPerEpoch,
  checkConfigFitsDataset,
  type BatchImage,
  type StepMetrics,
  type StepTrainer
} from './train/step-trainer'
export { MinibatchTrainer, type BatchOutcome } from './train/minibatch-trainer'
export { dropoutMaskRng, Trainer } from './train/trainer'
export { FastTrainer, type FastTrainerOptions } from './train/fast-trainer'
export {
  CHECKPOINT_FORMAT_VERSION,
  decodeCheckpoints,
  encodeCheckpoints,
  type CheckpointFile
} from './io/checkpoint-file'
export {
  CheckpointStore,
  DEFAULT_CHECKPOINT_BUDGET,
  longestReplay,
  modelAt,
  nearestState,
  replayInto,
  replayTo,
  thinCheckpoints,
  type CheckpointPolicy
} from './train/checkpoints'
export { optimizerSwitchNote, switchOptimizer } from './train/optimizer-switch'
export {
  stateBytes,
  type NamedValues,
  type SlotValues,
  type TrainerState
} from './train/trainer-state'

export { planNetwork, type LayerLayout, type NetworkLayout } from './fast/layout'
export {
  checkConfigFitsMemory,
  referenceEngineBytes,
  RUN_MEMORY_BUDGET_BYTES
} from './train/memory-budget'
export { encodedOffsets, MAX_ENCODED_PIXELS } from './fast/encoding'
export { FastNetwork } from './fast/network'
export { BatchInput, type BatchSource } from './fast/batch-input'
export { ConvNetwork } from './fast/conv-network'
export {
  planConvNetwork,
  type ConvNetworkLayout,
  type MapBuffers,
  type StageLayout
} from './fast/conv-layout'
export {
  createFastEngine,
  fastEngineBytes,
  runsOnDenseNetwork,
  type FastEngine,
  type FastEngineOptions
} from './fast/engine'
export { GradientSplits, type GradientTask } from './fast/gradient-split'
export {
  jobChunks,
  runChunk,
  serialWork,
  type StepJob,
  type StepPlan,
  type WorkSharing
} from './fast/step-work'
export {
  compileModule,
  createMemory,
  instantiateKernels,
  kernelsModule,
  type Kernels,
  type WasmMemory,
  type WasmModule
} from './wasm/runtime'
export {
  CONV_ALIGN,
  CONV_READ_SLACK,
  allFilters,
  ConvKernelCalls,
  convScratchBytes,
  sparseConvSupported,
  wholeBatch,
  type ConvMethod,
  type DyMethod,
  type CsrRows,
  type FilterRange,
  type ImageRange
} from './fast/conv-kernel-calls'
export { ConvEngine } from './fast/conv-engine'
export {
  instantiateConvKernels,
  instantiateMapKernels,
  instantiatePoolKernels,
  type ConvKernels,
  type MapKernels,
  type PoolKernels
} from './wasm/conv-runtime'

export { decodeBase64, encodeBase64 } from './io/base64'
export { crc32, crc32Reference } from './io/crc32'
export {
  loadModel,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  modelFromFile,
  parseModelFile,
  serializeModel,
  type ModelFile,
  type ModelMetrics,
  type SerializeOptions
} from './io/model-file'

export {
  DEFAULT_PREPROCESS_OPTIONS,
  checkFrames,
  DIGIT_BOX_SIZE,
  findJpegFrame,
  FRAME_CENTRE,
  FRAME_SIZE,
  ImageFormatError,
  luma,
  MAX_IMAGE_FILE_BYTES,
  MAX_IMAGE_PIXELS,
  MAX_IMAGE_SIDE,
  preprocessDigit,
  readImageHeader,
  type Backdrop,
  type Box,
  type FrameBox,
  type ImageFormat,
  type ImageHeader,
  type NoDigitReason,
  type Plane,
  type PreprocessOptions,
  type PreprocessResult,
  type PreprocessSteps,
  type Rgb,
  type RgbaImage
} from './vision'

// The explainers (saliency, the step-through, gradient checks, feature maps): core/explain/index.ts lists them.
export * from './explain'
export { encodeNpy, type NpyArray } from './io/npy'
export { modelToNumpyArrays } from './io/numpy-arrays'
export {
  createTrainer,
  evaluateOnEngine,
  fastEngineAvailable,
  fastEngineSupports,
  TRAINING_ENGINES,
  trainsOnFastEngine,
  type TrainingEngine
} from './train/create-trainer'
export {
  ONNX_IR_VERSION,
  ONNX_OPSET,
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo
} from './io/onnx-graph'
export {
  modelToOnnx,
  ONNX_INPUT_NAME,
  ONNX_LOGITS_NAME,
  ONNX_PROBABILITIES_NAME,
  type OnnxExportOptions
} from './io/onnx-export'
export { onnxToModelFile, SUPPORTED_ONNX_OPERATORS } from './io/onnx-import'
export {
  modelToStateDictArrays,
  pytorchScript,
  type PytorchScriptOptions
} from './io/pytorch-script'
export { modelFileFormat, type ModelFileFormat } from './io/model-format'
