// A QR code as an <img> (SVG, sharp on paper and on screen), drawn in the browser by `qrcode`;
// `dark` tints its modules (a resident's code in its colour: keep it dark enough to scan, 4.5:1 on white).
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

export default function QrImage({ text, size, alt, testId, dark = '#000000' }: { text: string; size: number; alt: string; testId?: string; dark?: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, color: { dark, light: '#ffffff' } }).then(
      (svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      () => live && setSrc(undefined),
    );
    return () => {
      live = false;
    };
  }, [text, dark]);
  return src ? (
    <img src={src} width={size} height={size} alt={alt} data-testid={testId} className="fk-qr" />
  ) : (
    <span style={{ display: 'inline-block', width: size, height: size }} aria-hidden="true" />
  );
}
