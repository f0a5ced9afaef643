import { SoundOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { Button, Modal, Upload } from 'antd';
import type { TDossier } from '../../../core/contracts/evidence.js';
import { formatDuration } from '../../../core/frameworks/filing.js';
import { useI18n } from '../../shared/i18n.js';

// Audio and video in a dossier: a video's poster frame (drawn by the uploader's browser, or
// chosen later), a placeholder with the length where there is none, and a player.

export type TEvidenceFile = TDossier['files'][number];

export const isVideo = (f: { mime: string }) => f.mime.startsWith('video/');
export const isAudio = (f: { mime: string }) => f.mime.startsWith('audio/');

const BOX = { width: 112, height: 63, borderRadius: 4, flex: 'none' } as const;

/** The poster of a video (a placeholder with its length when it has none), or an audio mark. */
export function MediaThumb({ file, onOpen }: { file: TEvidenceFile; onOpen: () => void }) {
  const { t } = useI18n();
  const length = file.durationMs === null ? null : formatDuration(file.durationMs);
  const label = t({ zh: `播放「${file.title}」`, en: `Play “${file.title}”` });
  if (isVideo(file) && file.posterThumbUrl) {
    return (
      <button
        type="button"
        onClick={onOpen}
        aria-label={label}
        data-testid={`evidence-poster-${file.id}`}
        style={{ ...BOX, padding: 0, border: 0, cursor: 'pointer', position: 'relative' }}
      >
        <img
          src={file.posterThumbUrl}
          alt={t({ zh: '视频封面', en: 'Video poster' })}
          style={{ ...BOX, objectFit: 'cover', display: 'block' }}
        />
        {length && (
          <span
            style={{
              position: 'absolute',
              right: 4,
              bottom: 4,
              padding: '0 4px',
              borderRadius: 2,
              fontSize: 11,
              color: '#fff',
              background: 'rgba(0,0,0,.6)',
            }}
          >
            {length}
          </span>
        )}
      </button>
    );
  }
  const video = isVideo(file);
  return (
    <button
      type="button"
      onClick={onOpen}
      aria-label={label}
      data-testid={`evidence-${video ? 'no-poster' : 'audio'}-${file.id}`}
      style={{
        ...BOX,
        border: 0,
        cursor: 'pointer',
        color: '#fff',
        background: video ? '#3a3a3a' : '#2f5d8a',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        gap: 2,
        fontSize: 12,
      }}
    >
      {video ? <VideoCameraOutlined style={{ fontSize: 18 }} /> : <SoundOutlined />}
      <span>{video ? t({ zh: '暂无封面', en: 'No poster' }) : t({ zh: '音频', en: 'Audio' })}</span>
      <span>{length ?? t({ zh: '时长未知', en: 'length unknown' })}</span>
    </button>
  );
}

/** Plays a video (with its poster while it loads; the server answers byte ranges for seeking). */
export function MediaPreview({
  file,
  onClose,
}: {
  file: TEvidenceFile | null;
  onClose: () => void;
}) {
  return (
    <Modal
      open={file !== null}
      onCancel={onClose}
      footer={null}
      title={file?.title}
      width={720}
      destroyOnHidden
    >
      {file &&
        (isVideo(file) ? (
          <video
            controls
            preload="metadata"
            src={file.url}
            poster={file.posterUrl ?? undefined}
            data-testid="evidence-player"
            style={{ width: '100%', maxHeight: '70vh', background: '#000' }}
          />
        ) : (
          <audio controls preload="metadata" src={file.url} style={{ width: '100%' }} />
        ))}
    </Modal>
  );
}

/** Picks an image (JPEG or PNG) to be the video's poster. */
export function PosterButton(props: {
  file: TEvidenceFile;
  busy: boolean;
  onPick: (image: File) => void;
}) {
  const { t } = useI18n();
  return (
    <Upload
      accept="image/jpeg,image/png"
      showUploadList={false}
      beforeUpload={(image) => {
        props.onPick(image);
        return false;
      }}
    >
      <Button
        size="small"
        type="link"
        disabled={props.busy}
        data-testid={`evidence-set-poster-${props.file.id}`}
      >
        {props.file.posterUrl
          ? t({ zh: '更换封面', en: 'Replace poster' })
          : t({ zh: '设置封面', en: 'Set poster' })}
      </Button>
    </Upload>
  );
}
