/** Table columns of persistentvolumeclaims, persistentvolumes and storageclasses, as kubectl prints them. */
import { DEFAULT_CLASS_ANNOTATION } from '../../store/storage-class';
import { ageColumn, at, column, list, nameColumn, str, type Column } from './columns';

const SHORT_MODES: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

/** `RWO,RWX`: the access modes in kubectl's short form. */
export function accessModesText(modes: unknown): string {
  return list(modes)
    .map((m) => SHORT_MODES[String(m)] ?? String(m))
    .join(',');
}

export const persistentVolumeClaimColumns: Column[] = [
  nameColumn(),
  column('Status', (o) => str(at(o, 'status', 'phase'), 'Pending')),
  column('Volume', (o) => str(at(o, 'spec', 'volumeName'), '')),
  column('Capacity', (o) => str(at(o, 'status', 'capacity', 'storage'), '')),
  column('Access Modes', (o) => accessModesText(at(o, 'status', 'accessModes'))),
  column('StorageClass', (o) => str(at(o, 'spec', 'storageClassName'), '')),
  column('VolumeAttributesClass', (o) => str(at(o, 'spec', 'volumeAttributesClassName'), '<unset>')),
  ageColumn(),
  column('VolumeMode', (o) => str(at(o, 'spec', 'volumeMode'), 'Filesystem'), { priority: 1 }),
];

export const persistentVolumeColumns: Column[] = [
  nameColumn(),
  column('Capacity', (o) => str(at(o, 'spec', 'capacity', 'storage'), '')),
  column('Access Modes', (o) => accessModesText(at(o, 'spec', 'accessModes'))),
  column('Reclaim Policy', (o) => str(at(o, 'spec', 'persistentVolumeReclaimPolicy'), 'Retain')),
  column('Status', (o) => str(at(o, 'status', 'phase'), 'Pending')),
  column('Claim', (o) => {
    const name = str(at(o, 'spec', 'claimRef', 'name'), '');
    return name === '' ? '' : `${str(at(o, 'spec', 'claimRef', 'namespace'), '')}/${name}`;
  }),
  column('StorageClass', (o) => str(at(o, 'spec', 'storageClassName'), '')),
  column('VolumeAttributesClass', (o) => str(at(o, 'spec', 'volumeAttributesClassName'), '<unset>')),
  column('Reason', (o) => str(at(o, 'status', 'reason'), '')),
  ageColumn(),
  column('VolumeMode', (o) => str(at(o, 'spec', 'volumeMode'), 'Filesystem'), { priority: 1 }),
];

export const storageClassColumns: Column[] = [
  {
    ...nameColumn(),
    cell: (o) =>
      `${o.metadata.name ?? ''}${o.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true' ? ' (default)' : ''}`,
  },
  column('Provisioner', (o) => str(at(o, 'provisioner'))),
  column('ReclaimPolicy', (o) => str(at(o, 'reclaimPolicy'), 'Delete')),
  column('VolumeBindingMode', (o) => str(at(o, 'volumeBindingMode'), 'Immediate')),
  column('AllowVolumeExpansion', (o) => at(o, 'allowVolumeExpansion') === true, { type: 'boolean' }),
  ageColumn(),
];
