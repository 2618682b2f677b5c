// The screen the kernel will draw on: the Graphics Output Protocol's modes are
// listed into boot_info (hwinfo prints them), gop= on the command line may
// switch to another one (boot/gop_pick.c decides), and the mode in use is handed
// over as a linear framebuffer. The switch happens after the menu, just before
// the jump, so the firmware's text console never draws on a screen it did not set up.
#include "boot/gop_pick.h"
#include "boot/loader.h"

// The boot_pixel_format of a GOP pixel format (BOOT_FB_NONE: Blt only).
static uint32_t pixel_format(EFI_GRAPHICS_PIXEL_FORMAT f)
{
    switch (f) {
    case PixelRedGreenBlueReserved8BitPerColor: return BOOT_FB_RGBX;
    case PixelBlueGreenRedReserved8BitPerColor: return BOOT_FB_BGRX;
    case PixelBitMask: return BOOT_FB_BITMASK;
    default: return BOOT_FB_NONE;
    }
}

// Fills bi->gop_modes with what QueryMode says about each mode.
static void list_modes(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop, struct boot_info *bi)
{
    bi->gop_mode_count = gop->Mode->MaxMode;
    bi->gop_mode_firmware = bi->gop_mode_current = (int32_t)gop->Mode->Mode;
    for (UINT32 i = 0; i < gop->Mode->MaxMode && i < BOOT_GOP_MODES_MAX; i++) {
        EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;
        UINTN size;
        if (EFI_ERROR(gop->QueryMode(gop, i, &size, &info)))
            continue; // stays 0x0, format none: never picked
        bi->gop_modes[i].width = info->HorizontalResolution;
        bi->gop_modes[i].height = info->VerticalResolution;
        bi->gop_modes[i].format = pixel_format(info->PixelFormat);
        FreePool(info);
    }
}

// Fills fb from the GOP's current mode (nothing for a Blt-only mode).
static void collect_framebuffer(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop, struct boot_framebuffer *fb)
{
    EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = gop->Mode->Info;
    fb->format = pixel_format(info->PixelFormat);
    if (fb->format == BOOT_FB_NONE)
        return; // PixelBltOnly: no linear framebuffer to hand over
    if (fb->format == BOOT_FB_BITMASK) {
        fb->red_mask = info->PixelInformation.RedMask;
        fb->green_mask = info->PixelInformation.GreenMask;
        fb->blue_mask = info->PixelInformation.BlueMask;
        fb->reserved_mask = info->PixelInformation.ReservedMask;
    }
    fb->base = gop->Mode->FrameBufferBase;
    fb->size = gop->Mode->FrameBufferSize;
    fb->width = info->HorizontalResolution;
    fb->height = info->VerticalResolution;
    fb->pixels_per_scanline = info->PixelsPerScanLine;
}

void boot_gop_setup(struct boot_info *bi)
{
    EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
    EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
    bi->gop_mode_firmware = bi->gop_mode_current = -1;
    if (EFI_ERROR(BS->LocateProtocol(&gop_guid, NULL, (void **)&gop)) || !gop || !gop->Mode ||
        !gop->Mode->Info)
        return;
    list_modes(gop, bi);
    int n = (int)(bi->gop_mode_count < BOOT_GOP_MODES_MAX ? bi->gop_mode_count : BOOT_GOP_MODES_MAX);
    const char *why;
    int pick = boot_gop_pick(boot_cmdline_value(bi->cmdline, "gop"), bi->gop_modes, n, &why);
    if (pick >= 0 && pick != bi->gop_mode_current) {
        EFI_STATUS st = gop->SetMode(gop, (UINT32)pick);
        if (EFI_ERROR(st))
            Print(L"loader: GOP mode %d (%dx%d) failed (%r); keeping mode %d\n", pick,
                  bi->gop_modes[pick].width, bi->gop_modes[pick].height, st,
                  bi->gop_mode_current);
        bi->gop_mode_current = (int32_t)gop->Mode->Mode;
    }
    int cur = bi->gop_mode_current;
    Print(L"loader: screen %dx%d, GOP mode %d of %d: ", gop->Mode->Info->HorizontalResolution,
          gop->Mode->Info->VerticalResolution, cur, bi->gop_mode_count);
    boot_puts(why);
    boot_puts("\n");
    collect_framebuffer(gop, &bi->fb);
}
