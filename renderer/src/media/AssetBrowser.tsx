import { GridList, GridListItem } from 'react-aria-components';
import { MiddleCut } from '../ui/MiddleCut';
import type { Output } from '../../../shared/ipc/contract';
import { AssetThumb } from './AssetThumb';
import { formatBytes, typeLabel } from './thumbnails';

export type Asset = Output<'assets.list'>[number];

const dims = (a: Asset) => (a.width && a.height ? `${a.width} × ${a.height}` : '—');

/**
 * The assets shown, as a grid of thumbnails or a list with their facts. Both are one
 * selection (the details panel shows the selected asset); arrows move, Enter/Space select.
 */
export function AssetBrowser({
  assets,
  view,
  selected,
  onSelect,
  folderPath,
  label,
}: {
  assets: Asset[];
  view: 'grid' | 'list';
  selected: string | null;
  onSelect: (id: string | null) => void;
  folderPath: (id: string) => string;
  label: string;
}) {
  const common = {
    'aria-label': label,
    items: assets,
    selectionMode: 'single' as const,
    selectionBehavior: 'replace' as const,
    selectedKeys: selected ? [selected] : [],
    onSelectionChange: (keys: 'all' | Set<string | number>) => onSelect(keys === 'all' ? null : ((keys.values().next().value as string | undefined) ?? null)),
  };
  // Said outside the grid: GridList's own empty state sets inline styles, which the CSP blocks.
  if (assets.length === 0) return <p className="media-empty">{label.includes('matching') ? 'No files match the search.' : 'No files here.'}</p>;
  if (view === 'grid') {
    return (
      <GridList {...common} layout="grid" className="asset-grid">
        {(a) => (
          <GridListItem id={a.id} textValue={a.filename} className="asset-card">
            <AssetThumb asset={a} />
            <MiddleCut className="asset-card-name" text={a.filename} />
            <span className="asset-card-meta">
              {typeLabel(a.mimeType)} · {formatBytes(a.size)}
              {a.pending && <span className="pill local">moving</span>}
            </span>
          </GridListItem>
        )}
      </GridList>
    );
  }
  return (
    <div className="asset-list-wrap">
      <div className="asset-list-head" aria-hidden="true">
        <span />
        <span>Name</span>
        <span>Size</span>
        <span>Dimensions</span>
        <span>Type</span>
        <span>Folder</span>
      </div>
      <GridList {...common} className="asset-list">
        {(a) => (
          <GridListItem id={a.id} textValue={a.filename} className="asset-row">
            <AssetThumb asset={a} size="sm" />
            <span className="asset-row-name">
              <MiddleCut text={a.filename} />
              {a.pending && <span className="pill local">moving</span>}
            </span>
            <span>{formatBytes(a.size)}</span>
            <span>{dims(a)}</span>
            <span>{typeLabel(a.mimeType)}</span>
            <span className="muted">{folderPath(a.folder)}</span>
          </GridListItem>
        )}
      </GridList>
    </div>
  );
}
