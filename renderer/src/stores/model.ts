// The model the studio holds (from a run, a reset or a loaded file): load, save and export it.
// Seam for the Evaluate/Runs work (issue 5); the window-wide drop handler calls importModelFile.

import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { MAX_MODEL_FILE_BYTES, type ModelSummary } from '@contract'
import { useStudio } from '@/api'

export const useModelStore = defineStore('model', () => {
  const current = shallowRef<ModelSummary | null>(null)
  const error = shallowRef<string | null>(null)

  /** Reads a model file the user dropped or opened and makes it the current model; a bad file changes nothing. */
  async function importModelFile(file: File): Promise<void> {
    error.value = null
    if (file.size > MAX_MODEL_FILE_BYTES) {
      error.value = `${file.name} is ${(file.size / 1e6).toFixed(0)} MB: too large to be a model file`
      return
    }
    try {
      current.value = await useStudio().importModel(await file.text(), file.name)
    } catch (e) {
      error.value = `${file.name}: ${e instanceof Error ? e.message : String(e)}`
    }
  }

  return { current, error, importModelFile }
})
