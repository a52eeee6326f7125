// Compile-time proofs that the verb table types every side (checked by `npm run typecheck`, which
// fails if any `@ts-expect-error` below stops being an error; vitest does not run this file).
// The run-time half: verb-table.test.ts.

import type { StepThrough, TrainConfig } from '../../core'
import {
  returns,
  type ModelSummary,
  type Outcome,
  type Prediction,
  type StartOptions,
  type StudioApi,
  type StudioBridge,
  type StudioInfo,
  type VerbArgs,
  type VerbResult,
  type VerbSpec,
  type WorkerCommand,
  type WorkerVerbs
} from '../../electron/contract'
import type { ARGUMENT_PARSERS } from '../../electron/host/arguments'
import type { StudioHost } from '../../electron/host/studio-host'
import type { Implementation, VerbImplementations } from '../../electron/host/untrusted-calls'

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function assertType<T extends true>(): T | undefined {
  return undefined
}

// The table's argument kinds and results become every side's signatures.
assertType<Equal<VerbArgs<'startTraining'>, [TrainConfig, StartOptions?]>>()
assertType<Equal<VerbResult<'getInfo'>, StudioInfo>>()
assertType<Equal<VerbResult<'explainStep'>, StepThrough>>()
assertType<Equal<Parameters<StudioApi['renameRun']>, [string, string]>>()
assertType<Equal<ReturnType<StudioApi['predict']>, Promise<Prediction>>>()
assertType<Equal<ReturnType<StudioBridge['getModel']>, Promise<Outcome<ModelSummary>>>>()
assertType<Equal<Extract<WorkerCommand, { verb: 'predict' }>['args'], [Float32Array]>>()

export function proofs(
  host: StudioHost,
  implementations: Omit<VerbImplementations, 'getRun'>,
  session: Omit<WorkerVerbs, 'predict'>
): unknown[] {
  // @ts-expect-error: a host verb without an implementation does not compile (StudioHost's list).
  const missingHostVerb: VerbImplementations = implementations
  // @ts-expect-error: a worker verb without a WorkerSession method does not compile.
  const missingWorkerVerb: WorkerVerbs = session
  // @ts-expect-error: an implementation must answer the table's result type.
  const wrongResult: Implementation<'getInfo'> = async () => 42
  const unknownKind = {
    channel: 'x:y',
    // @ts-expect-error: an argument kind the contract does not declare (and so has no parser).
    args: ['colour'],
    result: returns<void>()
  } satisfies VerbSpec
  // @ts-expect-error: every kind has its parser, typed by the kind.
  const wrongParser: (typeof ARGUMENT_PARSERS)['runId'] = () => 7
  // The host takes anything at run time (every argument is parsed), but only the table's verbs.
  void host.startTraining('fast please')
  // @ts-expect-error: not a verb.
  void host.trainFaster()
  return [missingHostVerb, missingWorkerVerb, wrongResult, unknownKind, wrongParser]
}
