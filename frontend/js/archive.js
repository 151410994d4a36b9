// Suggestions for the archive's search boxes: a progressive enhancement.
//
// Every input with data-archive-suggest="<url>" gets a <datalist> that is
// filled, as the visitor types, from the archive's suggest endpoint (a JSON
// list of titles). The browser's own datalist UI shows them, so keyboard and
// screen-reader behaviour is the browser's. Without JavaScript, or if a request
// fails, the box is a plain search box and nothing breaks.

const MIN_LENGTH = 2
const DELAY_MS = 200

function enhance (input) {
  const list = document.createElement('datalist')
  list.id = `${input.id}-suggestions`
  input.after(list)
  input.setAttribute('list', list.id)

  let timer = null
  let controller = null

  input.addEventListener('input', () => {
    clearTimeout(timer)
    const prefix = input.value.trim()
    if (prefix.length < MIN_LENGTH) {
      list.replaceChildren()
      return
    }
    timer = setTimeout(async () => {
      controller?.abort()
      controller = new AbortController()
      try {
        const url = `${input.dataset.archiveSuggest}?q=${encodeURIComponent(prefix)}`
        const response = await fetch(url, { signal: controller.signal, headers: { Accept: 'application/json' } })
        if (!response.ok) return
        const titles = await response.json()
        list.replaceChildren(...titles.map((title) => {
          const option = document.createElement('option')
          option.value = title
          return option
        }))
      } catch {
        // An aborted or failed request leaves the last suggestions in place.
      }
    }, DELAY_MS)
  })
}

export function initArchiveSuggestions (root = document) {
  root.querySelectorAll('input[data-archive-suggest][id]').forEach(enhance)
}

initArchiveSuggestions()
