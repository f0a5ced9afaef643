import { PlusOutlined } from '@ant-design/icons';
import { App, Image, Space, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { apiCall, fileForm, type ApiResponse } from './api.js';
import { errorText } from './forms.js';
import { formatTime, L, useI18n } from './i18n.js';

/** What the files endpoint answers an upload with (kept by antd as the upload's response). */
type UploadedFile = ApiResponse<'POST /api/files'>;

/** Photo picker: each photo is uploaded at once; the form gets the ids. Opens the camera on phones. */
export function PhotoInput(props: {
  value?: string[];
  onChange?: (ids: string[]) => void;
  max?: number;
  testId?: string;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const max = props.max ?? 9;
  const sync = (list: UploadFile[]) => {
    setFiles(list);
    props.onChange?.(list.filter((f) => f.status === 'done' && f.uid).map((f) => f.uid));
  };
  return (
    <Upload
      listType="picture-card"
      accept="image/*"
      fileList={files}
      data-testid={props.testId}
      customRequest={({ file, onSuccess, onError }) => {
        apiCall('POST /api/files', { body: fileForm(file as File, (file as File).name) })
          .then((res) => onSuccess?.(res))
          .catch((err: unknown) => {
            message.error(errorText(err, lang));
            onError?.(err as Error);
          });
      }}
      onChange={({ fileList }) =>
        sync(
          fileList
            .filter((f) => f.status !== 'error')
            .map((f) => {
              const res = f.response as UploadedFile | undefined;
              return res ? { ...f, uid: res.id, thumbUrl: res.thumbUrl, url: res.url } : f;
            }),
        )
      }
      onRemove={(f) => {
        sync(files.filter((x) => x.uid !== f.uid));
        return false;
      }}
    >
      {files.length >= max ? null : (
        <div>
          <PlusOutlined />
          <div style={{ marginTop: 4 }}>{t({ zh: '拍照/上传', en: 'Photo' })}</div>
        </div>
      )}
    </Upload>
  );
}

const STAGES = {
  before: L.problems.before,
  after: L.problems.afterPhotos,
  verify: L.problems.verifyPhotos,
} as const;

/** The photos of a problem by stage, with the camera's time and place as evidence. */
export function PhotoGallery(props: {
  photos: {
    id: string;
    url: string;
    thumbUrl: string;
    stage: keyof typeof STAGES;
    takenAt: string | null;
    lat: number | null;
    lng: number | null;
  }[];
}) {
  const { t } = useI18n();
  if (!props.photos.length) return null;
  return (
    <Image.PreviewGroup>
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="photo-gallery">
        {(Object.keys(STAGES) as (keyof typeof STAGES)[]).map((stage) => {
          const list = props.photos.filter((p) => p.stage === stage);
          if (!list.length) return null;
          return (
            <div key={stage}>
              <Typography.Text strong>{t(STAGES[stage])}</Typography.Text>
              <Space wrap style={{ marginTop: 8, display: 'flex' }}>
                {list.map((p) => (
                  <div key={p.id} style={{ width: 120 }}>
                    <Image
                      src={p.thumbUrl}
                      preview={{ src: p.url }}
                      width={120}
                      height={120}
                      style={{ objectFit: 'cover' }}
                    />
                    <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                      {p.takenAt
                        ? formatTime(p.takenAt)
                        : t({ zh: '无拍摄时间', en: 'no camera time' })}
                      {p.lat !== null && p.lng !== null
                        ? ` · ${p.lat.toFixed(4)},${p.lng.toFixed(4)}`
                        : ''}
                    </Typography.Text>
                  </div>
                ))}
              </Space>
            </div>
          );
        })}
      </Space>
    </Image.PreviewGroup>
  );
}
