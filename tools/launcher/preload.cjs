// Everything an `npm run <command>` process loads before anything else (run.cjs requires
// it): TypeScript through register.cjs, and the Pulumi SDK's closure serializer deferred
// (pulumiClosures.cjs), which has to happen before the SDK loads.
"use strict";
const path = require("node:path");

require("./register.cjs");
require("./pulumiClosures.cjs").deferClosureSerialization(path.resolve(__dirname, "..", ".."));
