/**
 * Weekly opening-hours grid, enhanced: the OSM string is shown as it is typed, and a button copies
 * Monday to the other weekdays. Without JavaScript the same form works (the server builds the string).
 */
import { DAYS, SLOTS, gridFromForm, gridToOpeningHours, slotField } from '../common/hours-grid.js';

function fieldsOf(form: HTMLFormElement): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  new FormData(form).forEach((value, key) => {
    fields[key] = typeof value === 'string' ? value : '';
  });
  return fields;
}

function enhance(form: HTMLFormElement) {
  const raw = form.querySelector<HTMLTextAreaElement>('#horaires_brut');
  if (!raw) return;
  const preview = document.createElement('p');
  preview.className = 'hours-preview';
  preview.setAttribute('aria-live', 'polite');
  preview.hidden = true;
  raw.closest('.field')?.before(preview);

  const refresh = () => {
    preview.hidden = false;
    const { grid, errors } = gridFromForm(fieldsOf(form));
    const messages = Object.values(errors);
    if (messages.length) {
      preview.textContent = `À corriger : ${messages[0]}`;
      return;
    }
    const value = gridToOpeningHours(grid);
    raw.value = value ?? '';
    preview.textContent = value ? `Format OpenStreetMap produit : ${value}` : 'Aucune plage : horaires non renseignés.';
  };

  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'button secondary';
  copy.textContent = 'Copier le lundi du mardi au vendredi';
  copy.addEventListener('click', () => {
    for (const day of DAYS.slice(1, 5)) {
      for (let i = 0; i < SLOTS; i += 1) {
        for (const end of ['from', 'to'] as const) {
          const source = form.elements.namedItem(slotField('Mo', i, end)) as HTMLInputElement | null;
          const target = form.elements.namedItem(slotField(day, i, end)) as HTMLInputElement | null;
          if (source && target) target.value = source.value;
        }
      }
    }
    refresh();
  });
  (form.querySelector('.hours-grid-wrap') ?? form.querySelector('.hours-grid'))?.after(copy);

  form.querySelector('.hours-grid')?.addEventListener('input', refresh);
  form.querySelector('.hours-grid')?.addEventListener('change', refresh);
  form
    .querySelectorAll('input[name^="exc_"], input[name="ph_closed"]')
    .forEach((input) => input.addEventListener('change', refresh));
}

document.querySelectorAll<HTMLFormElement>('form[data-hours-grid]').forEach(enhance);
