// The scalar autograd engine (micrograd-style), used to teach backpropagation one number at a time.
export { topologicalOrder } from './topological-order'
export { Value, type ValueOp } from './value'
export { descentStep, gradientDescent, type Descent } from './descent'
export {
  explainBackward,
  formatNumber,
  traceGraph,
  type BackwardStep,
  type ChainRuleTerm,
  type GraphNode,
  type ValueGraph
} from './graph'
