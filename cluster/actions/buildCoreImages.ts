// pause, coredns and probe images (cached), for containerd, CoreDNS and the DNS probe.
import { coreImages } from "../coreImages";
import type { UpAction } from "./upContext";

export const buildCoreImages: UpAction = {
  name: "core images",
  async run(ctx) {
    ctx.images = await coreImages(ctx.layout, ctx.bins);
  },
};
