/** PUTs a file to the job's signed upload path, reporting progress (fetch cannot report upload progress). */
export function uploadFile(path: string, file: Blob, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PUT", new URL(path, window.location.href));
    request.setRequestHeader("content-type", "application/octet-stream");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
        return;
      }
      let message = `The upload was refused (HTTP ${request.status}).`;
      try {
        const body = JSON.parse(request.responseText) as { error?: { message?: string }; message?: string };
        message = body.error?.message ?? body.message ?? message;
      } catch {
        // keep the generic message
      }
      reject(new Error(message));
    };
    request.onerror = () => reject(new Error("The upload could not reach the API."));
    request.send(file);
  });
}
