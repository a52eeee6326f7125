// The checked-in protobufjs schema is the vendored onnx.proto, turned into a module by
// scripts/onnx/build-schema.ts: replacing the .proto without regenerating fails here.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  ONNX_PROTO_PATH,
  ONNX_SCHEMA_TS_PATH,
  renderSchemaModule
} from '../../scripts/onnx/build-schema'

describe('electron/files/onnx/onnx-schema.ts', () => {
  it('is generated from schema/onnx.proto (run `npm run build:onnx-schema` after replacing it)', () => {
    const proto = readFileSync(ONNX_PROTO_PATH, 'utf8')
    expect(proto).toContain('SPDX-License-Identifier: Apache-2.0')
    expect(readFileSync(ONNX_SCHEMA_TS_PATH, 'utf8')).toBe(renderSchemaModule(proto))
  })
})
