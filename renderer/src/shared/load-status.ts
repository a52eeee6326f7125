// Where a request to the host stands, for a panel that shows its answer: not asked yet, on its way,
// answered, or failed.

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'failed'
