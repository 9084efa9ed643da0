// Types of generate-protobuf.mjs, for the TypeScript test that imports it.
export type FieldDef = [name: string, cardinality: 'one' | 'repeated' | 'map', type: string];
export type MessageTable = Record<string, Record<string, FieldDef>>;
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
export function tableFromProtos(files: ProtoSource[], referencedOnly?: ProtoSource[]): MessageTable;
export function headerFor(versions: ModuleVersions): string[];
export function versionsOf(moduleText: string): ModuleVersions;
export function formatModule(table: MessageTable, header: string[]): Promise<string>;
export function generateProtobufTable(dirs: ModuleVersions, versions: ModuleVersions): Promise<string>;
