// Reading files from the volume the loader was started from (the ESP on the USB
// stick or QEMU disk): \spanlab\kernel.elf and \spanlab\cmdline.txt.
#include "boot/loader.h"

// Opens the root of the loader's own volume; fails with a message.
EFI_STATUS boot_open_volume(EFI_HANDLE image, EFI_FILE_HANDLE *root)
{
    EFI_LOADED_IMAGE *li = NULL;
    EFI_STATUS st = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
    if (EFI_ERROR(st) || !li)
        return boot_fail(st, L"the firmware does not say which device the loader came from");
    *root = LibOpenRoot(li->DeviceHandle);
    if (!*root)
        return boot_fail(EFI_NOT_FOUND,
                         L"cannot open the loader's volume as a FAT file system");
    return EFI_SUCCESS;
}

// Reads the whole file at path into pool memory, NUL-terminated.
EFI_STATUS boot_read_file(EFI_FILE_HANDLE root, const CHAR16 *path, void **data, UINTN *size)
{
    EFI_FILE_HANDLE fh;
    EFI_STATUS st = root->Open(root, &fh, (CHAR16 *)path, EFI_FILE_MODE_READ, 0);
    if (EFI_ERROR(st))
        return st;
    EFI_FILE_INFO *info = LibFileInfo(fh);
    if (!info) {
        fh->Close(fh);
        return EFI_DEVICE_ERROR;
    }
    UINTN len = info->FileSize;
    FreePool(info);
    char *buf = AllocatePool(len + 1);
    if (!buf) {
        fh->Close(fh);
        return EFI_OUT_OF_RESOURCES;
    }
    UINTN done = 0;
    while (done < len) {
        UINTN chunk = len - done;
        st = fh->Read(fh, &chunk, buf + done);
        if (EFI_ERROR(st) || chunk == 0) {
            FreePool(buf);
            fh->Close(fh);
            return EFI_ERROR(st) ? st : EFI_END_OF_FILE;
        }
        done += chunk;
    }
    fh->Close(fh);
    buf[len] = 0;
    *data = buf;
    *size = len;
    return EFI_SUCCESS;
}
