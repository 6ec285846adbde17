import KDBush from 'kdbush';
import { SlotById } from './slot-by-id.js';
import { columnsOf, copyHours, type TreeColumns } from './tree-columns.js';
import { TreeCounts } from './tree-counts.js';
import type { WeeklyHours } from './weekly-hours.js';
import { WeekTable } from './week-table.js';

/** What the index keeps of a published, located place: the filters as bitsets, the hours as a week. */
export interface IndexedPlaceRow {
  id: number;
  latitude: number;
  longitude: number;
  codePostal: string;
  codeInsee: string | null;
  horaires: string | null;
  /** One bit per value of the standard's list, in its order (see filter-masks.ts). */
  services: number;
  publics: number;
  priseEnCharge: number;
  frais: number;
  modalitesAcces: number;
  modalitesAccompagnement: number;
}

/** A verified label link; `untilDay` is the last day it is shown (days since 1970-01-01), null: no end. */
export interface IndexedLabelLink {
  placeId: number;
  labelId: number;
  untilDay: number | null;
}

const NO_END = 2 ** 31 - 1;
const INITIAL_CAPACITY = 1024;
/** A service held by at most this share of the places gets a tree of its own (see ServiceTree). */
const SERVICE_TREE_AT_MOST = 0.35;
const SERVICE_BITS = 16;

/**
 * The places offering one service, in a k-d tree of their own, built with the main tree (same
 * `inTree` marks). A search for a rare service walks it instead of the main tree: nearest 20 among
 * 1,300 places offering it, not a walk through the 100,000 places of a city's radius that mostly
 * do not. `tree` is null when no place offers the service.
 */
export interface ServiceTree {
  tree: KDBush | null;
  slots: Int32Array;
  /** What the filters read of the tree's places, in the tree's order; null without a tree. */
  columns: TreeColumns | null;
}

const CORSICA_2A = 100_000;
const CORSICA_2B = 101_000;
const OTHER_INSEE_CODES = 200_000;
const DIGITS = /^\d{5}$/;
const CORSICA = /^2[AB]\d{3}$/;

/**
 * An INSEE code as a number, without a table: five digits as themselves, Corsica's "2A…" and
 * "2B…" after them; undefined for any other shape. A million codes looked up in a Map of strings
 * cost ~0.4 s of the start-up.
 */
function inseeKey(code: string): number | undefined {
  if (DIGITS.test(code)) return Number(code);
  if (CORSICA.test(code)) return (code[1] === 'A' ? CORSICA_2A : CORSICA_2B) + Number(code.slice(2));
  return undefined;
}

/**
 * Published places with a position, one slot each in parallel typed arrays (a million places take
 * ~60 MB), plus a static k-d tree over them. The tree cannot change: places changed since it was
 * built are marked out of it (`inTree[slot] = 0`) and kept in `changedSinceBuild`, scanned one by
 * one next to the tree, until the next rebuild.
 */
export class PlaceStore {
  capacity = 0;
  /** Slots ever used; a removed place's slot is reused by the next one. */
  slotCount = 0;
  ids = new Float64Array(0);
  latitudes = new Float64Array(0);
  longitudes = new Float64Array(0);
  services = new Uint16Array(0);
  publics = new Uint8Array(0);
  priseEnCharge = new Uint8Array(0);
  frais = new Uint8Array(0);
  modalitesAcces = new Uint8Array(0);
  modalitesAccompagnement = new Uint8Array(0);
  codesPostaux = new Int32Array(0);
  /** The INSEE code as a number (see `inseeKey`), -1 when none. */
  codesInsee = new Int32Array(0);
  /** Index into `weeks`, -1 when no readable hours. */
  hours = new Int32Array(0);
  alive = new Uint8Array(0);
  inTree = new Uint8Array(0);

  readonly slotById = new SlotById();
  private readonly freeSlots: number[] = [];
  /** Codes of no usual shape, numbered from OTHER_INSEE_CODES (none in valid data). */
  private readonly otherInseeCodes = new Map<string, number>();
  /** The distinct opening hours of the places, each compiled once (see `hours`). */
  readonly weekTable = new WeekTable();
  /** label id → (slot → last day shown): a few places per label, so sparse maps, not bitsets. */
  readonly labelSlots = new Map<number, Map<number, number>>();

  tree: KDBush | null = null;
  /** The slot of each point of the tree, in the tree's insertion order. */
  treeSlots = new Int32Array(0);
  /** By service bit: the service's own tree when few places offer it, else null (see ServiceTree). */
  serviceTrees: (ServiceTree | null)[] = [];
  /** The main tree's live points by node, for counts without visiting them (see TreeCounts). */
  treeCounts: TreeCounts | null = null;
  /** The main tree's columns (see TreeColumns). */
  treeColumns: TreeColumns | null = null;
  readonly changedSinceBuild = new Set<number>();
  /**
   * Bumped at each build of the tree: a list of slots kept elsewhere (a text's candidates) holds for the
   * places in the tree until it moves; a place changed since is out of the tree, read apart.
   */
  treeBuilds = 0;

  /** By the index in `hours`. */
  get weeks(): readonly WeeklyHours[] {
    return this.weekTable.weeks;
  }

  /**
   * Ends a full load's deferral of the hours (see WeekTable.defer): those still uncompiled are
   * compiled here, and the places whose hours turned out unreadable get none (-1).
   */
  settleAllHours() {
    const unreadable = this.weekTable.settleAll();
    if (unreadable.size === 0) return;
    for (let slot = 0; slot < this.slotCount; slot++) if (unreadable.has(this.hours[slot])) this.hours[slot] = -1;
    for (const columns of [this.treeColumns, ...this.serviceTrees.map((own) => own?.columns ?? null)]) {
      if (columns) copyHours(columns, this.hours);
    }
  }

  get size(): number {
    return this.slotById.size;
  }

  private grow(min: number) {
    const capacity = Math.max(min, this.capacity * 2, INITIAL_CAPACITY);
    const grown = <T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(old: T, make: (n: number) => T) => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.ids = grown(this.ids, (n) => new Float64Array(n));
    this.latitudes = grown(this.latitudes, (n) => new Float64Array(n));
    this.longitudes = grown(this.longitudes, (n) => new Float64Array(n));
    this.services = grown(this.services, (n) => new Uint16Array(n));
    this.publics = grown(this.publics, (n) => new Uint8Array(n));
    this.priseEnCharge = grown(this.priseEnCharge, (n) => new Uint8Array(n));
    this.frais = grown(this.frais, (n) => new Uint8Array(n));
    this.modalitesAcces = grown(this.modalitesAcces, (n) => new Uint8Array(n));
    this.modalitesAccompagnement = grown(this.modalitesAccompagnement, (n) => new Uint8Array(n));
    this.codesPostaux = grown(this.codesPostaux, (n) => new Int32Array(n));
    this.codesInsee = grown(this.codesInsee, (n) => new Int32Array(n));
    this.hours = grown(this.hours, (n) => new Int32Array(n));
    this.alive = grown(this.alive, (n) => new Uint8Array(n));
    this.inTree = grown(this.inTree, (n) => new Uint8Array(n));
    this.capacity = capacity;
  }

  /** Reserves room for `count` more places at once (the first load knows how many rows come). */
  reserve(count: number) {
    if (this.slotCount + count > this.capacity) this.grow(this.slotCount + count);
  }

  /** The number a place with this INSEE code holds; -2 for a code no place has (it matches none). */
  inseeKeyOf(code: string): number {
    return inseeKey(code) ?? this.otherInseeCodes.get(code) ?? -2;
  }

  private internInsee(code: string | null): number {
    if (code === null) return -1;
    const key = inseeKey(code);
    if (key !== undefined) return key;
    let other = this.otherInseeCodes.get(code);
    if (other === undefined) this.otherInseeCodes.set(code, (other = OTHER_INSEE_CODES + this.otherInseeCodes.size));
    return other;
  }

  /** Adds or replaces a place; returns its slot. Its tree entry, if any, is stale until the next rebuild. */
  upsert(row: IndexedPlaceRow): number {
    let slot = this.slotById.get(row.id);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.slotCount++;
      if (slot >= this.capacity) this.grow(slot + 1);
      this.slotById.set(row.id, slot);
    }
    this.ids[slot] = row.id;
    this.latitudes[slot] = row.latitude;
    this.longitudes[slot] = row.longitude;
    this.services[slot] = row.services;
    this.publics[slot] = row.publics;
    this.priseEnCharge[slot] = row.priseEnCharge;
    this.frais[slot] = row.frais;
    this.modalitesAcces[slot] = row.modalitesAcces;
    this.modalitesAccompagnement[slot] = row.modalitesAccompagnement;
    this.codesPostaux[slot] = Number(row.codePostal);
    this.codesInsee[slot] = this.internInsee(row.codeInsee);
    this.hours[slot] = this.weekTable.intern(row.horaires);
    this.alive[slot] = 1;
    if (this.tree) {
      this.treeCounts?.drop(slot);
      this.inTree[slot] = 0;
      this.changedSinceBuild.add(slot);
    }
    return slot;
  }

  remove(id: number) {
    const slot = this.slotById.get(id);
    if (slot === undefined) return;
    this.setLabels(slot, []);
    this.slotById.delete(id);
    this.alive[slot] = 0;
    this.treeCounts?.drop(slot);
    this.inTree[slot] = 0;
    this.changedSinceBuild.delete(slot);
    this.freeSlots.push(slot);
  }

  /** Replaces the verified label links of a place (already in the store). */
  setLabels(slot: number, links: { labelId: number; untilDay: number | null }[]) {
    // A few dozen labels in all: the place is looked for in each, rather than remembering its
    // labels per place (a Map of a million short arrays: ~100 MB at 1M places).
    for (const slots of this.labelSlots.values()) slots.delete(slot);
    for (const link of links) this.addLabel(slot, link.labelId, link.untilDay);
  }

  /** One more verified label link of a place (a fresh place, or one whose labels were just cleared). */
  addLabel(slot: number, labelId: number, untilDay: number | null) {
    let slots = this.labelSlots.get(labelId);
    if (!slots) this.labelSlots.set(labelId, (slots = new Map<number, number>()));
    slots.set(slot, untilDay ?? NO_END);
  }

  /** Builds the k-d tree over every live place (~0.3 s per million points); clears the changed set. */
  rebuildTree() {
    const slots = new Int32Array(this.size);
    let n = 0;
    for (let slot = 0; slot < this.slotCount; slot++) if (this.alive[slot]) slots[n++] = slot;
    const tree = new KDBush(Math.max(n, 1), 64, Float64Array);
    for (let i = 0; i < n; i++) tree.add(this.longitudes[slots[i]], this.latitudes[slots[i]]);
    // KDBush refuses an empty tree: one point far away that no slot owns stands in for none.
    if (n === 0) tree.add(0, -90);
    tree.finish();
    this.inTree.fill(0);
    for (let i = 0; i < n; i++) this.inTree[slots[i]] = 1;
    this.tree = tree;
    this.treeSlots = n === 0 ? Int32Array.of(-1) : slots;
    this.treeCounts = new TreeCounts(tree, this.treeSlots, this.slotCount);
    this.treeColumns = columnsOf(tree, this.treeSlots, this);
    this.serviceTrees = this.buildServiceTrees(slots.subarray(0, n));
    this.changedSinceBuild.clear();
    this.treeBuilds++;
  }

  private buildServiceTrees(slots: Int32Array): (ServiceTree | null)[] {
    const counts = new Int32Array(SERVICE_BITS);
    for (const slot of slots) {
      for (let bits = this.services[slot], bit = 0; bits !== 0; bits >>>= 1, bit++) counts[bit] += bits & 1;
    }
    return Array.from(counts, (count, bit) => {
      if (count > slots.length * SERVICE_TREE_AT_MOST) return null;
      if (count === 0) return { tree: null, slots: new Int32Array(0), columns: null };
      const mask = 1 << bit;
      const own = new Int32Array(count);
      let k = 0;
      for (const slot of slots) if (this.services[slot] & mask) own[k++] = slot;
      const tree = new KDBush(count, 64, Float64Array);
      for (const slot of own) tree.add(this.longitudes[slot], this.latitudes[slot]);
      tree.finish();
      return { tree, slots: own, columns: columnsOf(tree, own, this) };
    });
  }
}
