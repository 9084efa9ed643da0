// Types of generate-patch-metadata.mjs, for the TypeScript test that imports it.
import type { TypePatchMeta } from '../client/orchestrator/api/patch/patch-metadata';

export type PatchTable = Record<string, TypePatchMeta>;
export interface ProtoSource {
  /** Names the file in errors. */
  where: string;
  text: string;
}
export interface ModuleVersions {
  api: string;
  apimachinery: string;
}

export const OUTPUT: string;
export const SOURCES: { api: string[]; apimachinery: string[] };
export function tableFromProtos(files: ProtoSource[]): PatchTable;
export function minorOf(moduleVersion: string): string;
export function headerFor(versions: Record<string, ModuleVersions>): string[];
export function versionsOf(moduleText: string): Record<string, ModuleVersions>;
export function renderModule(tables: Record<string, PatchTable>, header: string[]): string;
export function formatModule(tables: Record<string, PatchTable>, header: string[]): Promise<string>;
export function generatePatchMetadata(
  folders: Record<string, ModuleVersions>,
  versions: Record<string, ModuleVersions>,
): Promise<string>;
