// Debian packages the node needs (installed when missing) and a look at the kernel's config.
import { checkKernel, ensurePackages } from "../hostPrerequisites";
import type { UpAction } from "./upContext";

export const installPrerequisites: UpAction = {
  name: "prerequisites",
  async run() {
    await ensurePackages();
    await checkKernel();
  },
};
