/// <reference types="vite/client" />
import type { StudioBridge } from '../../electron/contract'

declare global {
  interface Window {
    /** Set by Electron's preload script (calls answer Outcomes: use useStudio()); undefined in browser mode. */
    readonly studio?: StudioBridge
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
export {}
