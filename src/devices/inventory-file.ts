/**
 * The inventory on disk: one JSON file (docs/adr/0005-device-inventory.md),
 * written to a temporary file and renamed, so a crash leaves the previous
 * version whole. A file from a newer FlowLens or a damaged one is an error
 * naming the file; a missing one is an empty inventory.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Device } from './model.ts';

/** The file's format version. */
export const INVENTORY_FORMAT = 1;

/** Reading or writing the inventory file failed. */
export class InventoryFileError extends Error {
  readonly code = 'FLOWLENS_ERR_DEVICE_INVENTORY';
}

interface InventoryFileContent {
  format: number;
  savedMs: number;
  devices: Device[];
}

/** The saved devices; [] when the file does not exist. */
export async function readInventoryFile(path: string): Promise<Device[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new InventoryFileError(`${path}: cannot read the device inventory`, { cause: err });
  }
  let content: InventoryFileContent;
  try {
    content = JSON.parse(text) as InventoryFileContent;
  } catch (err) {
    throw new InventoryFileError(`${path}: the device inventory is not valid JSON`, { cause: err });
  }
  if (content.format !== INVENTORY_FORMAT || !Array.isArray(content.devices))
    throw new InventoryFileError(`${path}: unknown inventory format ${String(content.format)}`);
  return content.devices.filter((d) => typeof d.id === 'string' && Array.isArray(d.macs));
}

/** Writes the devices (temporary file, then rename). */
export async function writeInventoryFile(path: string, devices: Device[], savedMs: number): Promise<void> {
  const content: InventoryFileContent = { format: INVENTORY_FORMAT, savedMs, devices };
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, JSON.stringify(content));
    await rename(tmp, path);
  } catch (err) {
    throw new InventoryFileError(`${path}: cannot write the device inventory`, { cause: err });
  }
}
