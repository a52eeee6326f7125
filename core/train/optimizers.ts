// Builds the optimizer a TrainConfig describes.

import { Adam } from '../optim/adam'
import type { Optimizer } from '../optim/optimizer'
import { Sgd } from '../optim/sgd'
import type { TrainConfig } from './config'

export function createOptimizer(config: TrainConfig): Optimizer {
  const { optimizer, learningRate, weightDecay } = config
  switch (optimizer.kind) {
    case 'sgd':
      return new Sgd({ learningRate, momentum: optimizer.momentum, weightDecay })
    case 'adam':
      return new Adam({ learningRate, weightDecay, ...optimizer })
  }
}
