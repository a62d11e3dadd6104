// The part of unzipper (already installed for exceljs) the import uses: the zip's central directory.
declare module 'unzipper' {
  export interface CentralDirectoryEntry {
    path: string;
    flags: number;
    compressionMethod: number;
    compressedSize: number;
    uncompressedSize: number;
    offsetToLocalFileHeader: number;
  }
  export interface CentralDirectory {
    files: CentralDirectoryEntry[];
    offsetToStartOfCentralDirectory: number;
  }
  export const Open: { file(path: string): Promise<CentralDirectory> };
}
