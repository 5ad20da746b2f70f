import { File, FileAudio, FileText, FileVideo } from 'lucide-react';
import type { Output } from '../../../shared/ipc/contract';
import { assetKind } from '../../../shared/domain/asset';
import { useApp } from '../store';
import { useThumbnail } from './thumbnails';

type Asset = Pick<Output<'assets.list'>[number], 'id' | 'mimeType' | 'preview' | 'filename'>;

/** An asset's preview: its thumbnail, or an icon of its kind. Decorative (the name is shown beside it). */
export function AssetThumb({ asset, size = 'md' }: { asset: Asset; size?: 'sm' | 'md' | 'lg' }) {
  const { bridge, env } = useApp();
  const url = useThumbnail(bridge, env, asset.id, asset.preview);
  const kind = assetKind(asset.mimeType);
  const Icon = kind === 'video' ? FileVideo : kind === 'audio' ? FileAudio : kind === 'text' || kind === 'pdf' ? FileText : File;
  return (
    <span className={`asset-thumb ${size}`} data-kind={kind}>
      {url ? <img src={url} alt="" draggable={false} /> : <Icon aria-hidden="true" className="asset-thumb-icon" />}
    </span>
  );
}
