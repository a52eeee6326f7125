// The engine's typed errors. Each message names what is wrong, with the numbers, in words a learner reads.

/** Two matrices (or a matrix and a layer) disagree on a dimension. */
export class ShapeError extends Error {
  override name = 'ShapeError'
}

/** A training configuration field is missing, of the wrong type, or out of its allowed range. */
export class ConfigError extends Error {
  override name = 'ConfigError'
  constructor(
    readonly field: string,
    message: string
  ) {
    super(`${field}: ${message}`)
  }
}

/** Bytes that should be an IDX file (the MNIST format) are not a valid one. */
export class IdxFormatError extends Error {
  override name = 'IdxFormatError'
}

/** A model file is malformed, from another program or version, or damaged. */
export class ModelFileError extends Error {
  override name = 'ModelFileError'
}

/** A checkpoint file is malformed, from another version, or damaged. */
export class CheckpointFileError extends Error {
  override name = 'CheckpointFileError'
}

// NOTE: TrainingDivergedError (a step's loss became NaN, infinite or exploded) lives with its rule in
// train/divergence.ts: re-exporting it here would make every module that throws a ShapeError depend on
// the trainer.
