/// <reference types="vite/client" />
import type { StudioApi } from '../../electron/contract'

declare global {
  interface Window {
    /** Set by Electron's preload script; undefined in browser mode. */
    readonly studio?: StudioApi
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
export {}
