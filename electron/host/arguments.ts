// The receiving side of the verb table: one parser per argument kind (zod and core, never trusting the
// caller), and the check every call into the host goes through, whoever makes it (IPC, WebSocket, tests).

import {
  STUDIO_VERBS,
  type ArgumentKind,
  type ArgumentSpec,
  type ArgumentTypes,
  type Verb,
  type VerbArgs
} from '../contract'
import {
  parseExplainStepRequest,
  parseFileName,
  parseGradientCheckRequest,
  parseModelText,
  parseOnnxBytes,
  parseName,
  parseImageSource,
  parseSaliencyRequest,
  parseTestImageQuery,
  type DatasetShape
} from './model-requests'
import { parseRunId } from './run-file'
import { parseSettingsPatch } from './settings-store'
import {
  checkArity,
  parseControlCommand,
  parseFlag,
  parseLiveUpdate,
  parsePixels,
  parseRunPoint,
  parseStartOptions,
  parseTrainConfigFor
} from './validation'
import type { WorkerDatasets } from './worker-link'

/** What some arguments must fit: the datasets the worker holds (awaited only by the parsers that need them). */
export interface ArgumentContext {
  datasets(): Promise<WorkerDatasets>
}

/** Checks an untrusted value; throws a RequestError or ConfigError naming the field that is wrong. */
type Parser<T> = (raw: unknown, context: ArgumentContext) => T | Promise<T>

/** One parser per kind in the contract's ArgumentTypes: a kind without one does not compile. */
export const ARGUMENT_PARSERS = {
  config: async (raw, { datasets }) => parseTrainConfigFor(raw, (await datasets()).train),
  startOptions: parseStartOptions,
  command: parseControlCommand,
  update: parseLiveUpdate,
  pixels: async (raw, { datasets }) => parsePixels(raw, shapeOf(await datasets()).inputSize),
  testImageQuery: parseTestImageQuery,
  imageSource: async (raw, { datasets }) => parseImageSource(raw, shapeOf(await datasets())),
  saliencyRequest: async (raw, { datasets }) =>
    parseSaliencyRequest(raw, shapeOf(await datasets())),
  explainStepRequest: async (raw, { datasets }) =>
    parseExplainStepRequest(raw, shapeOf(await datasets())),
  gradientCheckRequest: parseGradientCheckRequest,
  modelText: parseModelText,
  onnxBytes: parseOnnxBytes,
  fileName: parseFileName,
  runId: parseRunId,
  runPoint: parseRunPoint,
  runName: (raw) => parseName(raw, 'name'),
  pinned: (raw) => parseFlag(raw, 'pinned'),
  settingsPatch: parseSettingsPatch
} as const satisfies { readonly [K in ArgumentKind]: Parser<ArgumentTypes[K]> }

/**
 * A call's untrusted arguments, checked: no more than the verb takes, then each by its kind, in order.
 * An optional argument left out stays undefined (the implementation's default applies).
 */
export async function parseArguments<V extends Verb>(
  verb: V,
  raw: readonly unknown[],
  context: ArgumentContext
): Promise<VerbArgs<V>> {
  const specs: readonly ArgumentSpec[] = STUDIO_VERBS[verb].args
  checkArity(STUDIO_VERBS[verb].channel, raw)
  const args: unknown[] = []
  for (const [i, spec] of specs.entries()) {
    const optional = spec.endsWith('?')
    const kind = (optional ? spec.slice(0, -1) : spec) as ArgumentKind
    const parse: Parser<unknown> = ARGUMENT_PARSERS[kind]
    args.push(optional && raw[i] === undefined ? undefined : await parse(raw[i], context))
  }
  // NOTE: each element came from its kind's parser, so the list has exactly the table's types.
  return args as VerbArgs<V>
}

function shapeOf({ train, test }: WorkerDatasets): DatasetShape {
  return { testCount: test.count, inputSize: train.rows * train.cols }
}
