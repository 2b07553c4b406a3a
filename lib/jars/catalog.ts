/**
 * The jars the platform adds to the official images, pinned by SHA-256. Pure data: no I/O.
 *
 * Every entry was downloaded once from Maven Central (https://repo1.maven.org/maven2); its
 * SHA-1 matched the `.sha1` Central publishes beside it, and `sha256` and `bytes` were
 * computed from that file. A downloader, a mirror or a derived image that gets other bytes
 * refuses them.
 *
 * Sets, per consumer:
 * - `spark-3.5-s3a`: s3a for Spark 3.5 (Hadoop 3.3.4 client): hadoop-aws 3.3.4 and the AWS SDK
 *   v1 1.12.262 modules it loads at run time (the version it was built against: a mismatched
 *   pair fails with NoSuchMethodError in S3AFileSystem.initialize), instead of the 281 MB
 *   `aws-java-sdk-bundle` it declares (`SDK_V1_BUNDLE`, kept for the measurement in
 *   docs/jars.md). Which modules: the SDK packages hadoop-aws 3.3.4 references (jdeps) are
 *   core, s3, sts and dynamodb; their compile dependencies are in Spark 3.5.7's own jars
 *   (httpclient 4.5.14, httpcore 4.4.16, commons-logging 1.1.3, commons-codec 1.16.1,
 *   jackson-databind 2.15.2, joda-time 2.12.5: same or newer than the SDK's POM asks, so the
 *   set adds none of them and no class is on the classpath twice) or serve other services
 *   only. Verified against an S3 API on Spark 3.5.7's jars: mkdir, put, multipart put, rename
 *   (multipart copy), ls, cat, get, delete, a standalone worker's executors writing and
 *   reading parquet, the event log on s3a and a History Server listing it, TLS. `dynamodb`
 *   although S3Guard is off: S3AUtils and S3ARetryPolicy name DynamoDB exceptions, and
 *   without them S3AFileSystem.initialize fails (NoClassDefFoundError
 *   AmazonDynamoDBException). `sts` serves AssumedRoleCredentialProvider (and web-identity
 *   credentials). Left out on purpose: `kms` (client-side encryption, CSE-KMS, only),
 *   jmespath-java (DynamoDB table waiters: S3Guard table creation only), ion-java and
 *   jackson-dataformat-cbor (wire formats of other services); `fs.s3a.ssl.channel.mode`
 *   configures the bundle's shaded HTTP client only, so with the modules it is ignored
 *   (logged at debug) and TLS uses the JSSE default.
 * - `spark-4.1-s3a`: s3a for Spark 4.1 (Hadoop 3.4.2 client): hadoop-aws 3.4.2 and the AWS SDK
 *   v2 2.29.52 modules it loads at run time, instead of the 642 MB `bundle` it declares
 *   (`SDK_V2_BUNDLE`, kept for the measurement in docs/jars.md). Which modules: the SDK
 *   packages hadoop-aws 3.4.2 references (jdeps) and their compile dependencies, minus what
 *   Spark 4.1's own jars already hold (httpclient 4.5.14, httpcore 4.4.16, commons-codec,
 *   jcl-over-slf4j, netty 4.2, slf4j-api). Verified against an S3 API on Spark 4.1.0's jars:
 *   mkdir, put, multipart put, rename (multipart copy), cat, ls, and reads by executors of a
 *   standalone worker. Without `s3-transfer-manager` S3AFileSystem does not initialise; without
 *   `netty-nio-client` a rename above the multipart threshold fails. `sts` serves the
 *   assumed-role and session-token credential providers. Left out on purpose: `kms` and the
 *   S3 encryption client (client-side encryption only), the analytics accelerator
 *   (`fs.s3a.input.stream.type=analytics` only), wildfly-openssl (`fs.s3a.ssl.channel.mode`
 *   other than the JSSE default).
 * - `hive-postgres-driver`: a PostgreSQL JDBC driver that speaks SCRAM-SHA-256 (the default
 *   password method since PostgreSQL 14); apache/hive:3.1.3 ships 9.4.1208, which does not,
 *   and apache/hive:4.0.0 ships none. 42.7.x runs on Java 8, the Hive images' Java.
 *
 * The Hive images need no s3a jars from here: hadoop-aws and its SDK bundle already sit in
 * /opt/hadoop/share/hadoop/tools/lib and are enabled with HADOOP_OPTIONAL_TOOLS=hadoop-aws.
 *
 * Changing a version: download the new file from Central, check its `.sha1`, put its
 * sha256, sha1 and size here, then `npm run jars -- images` rewrites images/ (a test
 * fails while they disagree).
 */

/** One Maven artifact (a plain `.jar`, no classifier). */
export interface JarArtifact {
  readonly group: string;
  readonly artifact: string;
  readonly version: string;
  /** Size of the file in bytes. */
  readonly bytes: number;
  /** SHA-1 as Maven Central publishes it (`<file>.sha1`); cross-checked when pinned. */
  readonly sha1: string;
  /** SHA-256 of the file: what the downloader, the mirror and the derived images verify. */
  readonly sha256: string;
}

/** Names of the jar sets, one per consumer. */
export type JarSetName = "spark-3.5-s3a" | "spark-4.1-s3a" | "hive-postgres-driver";

export interface JarSet {
  readonly name: JarSetName;
  /** What the set gives its pods, for messages and docs. */
  readonly purpose: string;
  readonly artifacts: readonly JarArtifact[];
}

const SPARK_35_S3A: readonly JarArtifact[] = [
  {
    group: "org.apache.hadoop",
    artifact: "hadoop-aws",
    version: "3.3.4",
    bytes: 962_685,
    sha1: "a65839fbf1869f81a1632e09f415e586922e4f80",
    sha256: "53f9ae03c681a30a50aa17524bd9790ab596b28481858e54efd989a826ed3a4a",
  },
  {
    group: "com.amazonaws",
    artifact: "aws-java-sdk-core",
    version: "1.12.262",
    bytes: 1_045_128,
    sha1: "2734ba5566476d9154e5460dedbc83de95a9016d",
    sha256: "06fed99f929c389e168278c1b111aaf1afb270d07202fbbce92e73d1e4279678",
  },
  {
    group: "com.amazonaws",
    artifact: "aws-java-sdk-dynamodb",
    version: "1.12.262",
    bytes: 1_997_350,
    sha1: "215de3e7087ad7880eed1215c16734cca21662a7",
    sha256: "7af4ba06d0d9b3c2ab435089caecd0567810d203aa285f7aa72861f1964d442e",
  },
  {
    group: "com.amazonaws",
    artifact: "aws-java-sdk-s3",
    version: "1.12.262",
    bytes: 1_256_738,
    sha1: "71be2e0d2fa870424649e140c689abeda20e55ea",
    sha256: "a0cb7580178bc0d4d3558295a5bb890008478da8a6b3241989c71238b0ed3be5",
  },
  {
    group: "com.amazonaws",
    artifact: "aws-java-sdk-sts",
    version: "1.12.262",
    bytes: 150_756,
    sha1: "ed52cfd4e7a623bb30d1e809043bb58c2f35227e",
    sha256: "659f48d8ebc02025c5042cc4b925f62610e81f334498f1b9e7a271ce20ecbcae",
  },
];

const SPARK_41_S3A: readonly JarArtifact[] = [
  {
    group: "org.apache.hadoop",
    artifact: "hadoop-aws",
    version: "3.4.2",
    bytes: 936_997,
    sha1: "16f9de6da5c7862241d55a13d34843404d0cbb88",
    sha256: "d2d24e6b715b5656b9d238bf13b6682a07e2004dd36aad74a73aeb854319f4d9",
  },
  {
    group: "org.reactivestreams",
    artifact: "reactive-streams",
    version: "1.0.4",
    bytes: 11_640,
    sha1: "3864a1320d97d7b045f729a326e1e077661f31b7",
    sha256: "f75ca597789b3dac58f61857b9ac2e1034a68fa672db35055a8fb4509e325f28",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "annotations",
    version: "2.29.52",
    bytes: 13_763,
    sha1: "9fa958ce528b57d90db01c5015daaf7bd373e57f",
    sha256: "8cd8bd8afd7eca5a367f69fd87427f6d9f3e7d359962122da24d71f1963f00cd",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "apache-client",
    version: "2.29.52",
    bytes: 77_005,
    sha1: "b7ce213c946d69ab1807b3f7ecac1ce29ed60485",
    sha256: "c96494be30ecac6f0ab7a35fdd91a4c77ca8a5daf62f3d9d84644ef0f0524dc6",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "arns",
    version: "2.29.52",
    bytes: 15_823,
    sha1: "879712423589b58434b8831b9b75304a16983178",
    sha256: "f5a4d1d9b4e4fc63c9bda49bcf1c59d23fd876b276c6b43aaca12969337303a6",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "auth",
    version: "2.29.52",
    bytes: 234_084,
    sha1: "76f9b22a99b0de0fd31447db22a5cba4ed4b172e",
    sha256: "4d8143b6198dc7a530c2ccdd813129c132b96736086c0d4fea85480b9bdbc5fe",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "aws-core",
    version: "2.29.52",
    bytes: 180_664,
    sha1: "dcfa86ac727b5d4e0abad1e8b025ac2febb6382e",
    sha256: "eb560c064fbaac7e2e7f4a77ac343d3083bea0d7f6e2c69ba022d3f3e859be90",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "aws-query-protocol",
    version: "2.29.52",
    bytes: 69_396,
    sha1: "0672d7a2df481414d02eedf3a9eff45fb87f1b8a",
    sha256: "1b117672963ee5059c45f2aadb110f191b578d108d8f08d7c7a59e6c0b098a8e",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "aws-xml-protocol",
    version: "2.29.52",
    bytes: 102_275,
    sha1: "e7290d4528affec022bd2f3739853f774a955ac2",
    sha256: "daf87b429373ad586d165003b5b1d4fe498c6472eb65ec9a9e2aa7d56f3917dd",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "checksums",
    version: "2.29.52",
    bytes: 69_428,
    sha1: "90631313060ff8ef1ab7745bb1e9740913bdcefc",
    sha256: "bca99ff25c9b917d6be03e5dce78ad5328e7dca485e96024fa8476e4192a800a",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "checksums-spi",
    version: "2.29.52",
    bytes: 8_046,
    sha1: "537363296f035a935b7d3b50a5bef90014d38010",
    sha256: "21193b9b648843dcaff493f0dd80abab9ee6871b203b9218120554698d8f7b8a",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "crt-core",
    version: "2.29.52",
    bytes: 17_776,
    sha1: "6a16e04be0e8bb8a1767e0644c631dadddfdd764",
    sha256: "4e1f33de21b688695fec91b977ddfa99e9d376edcbad06a62b0c138c60b37de4",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "endpoints-spi",
    version: "2.29.52",
    bytes: 13_171,
    sha1: "bd702a44ad440628af93afa1ec1d7cdc56baec67",
    sha256: "e54f246c668d70b55cffe0c8fad18d4465e74e22db75139918bd30610093d1e6",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "http-auth",
    version: "2.29.52",
    bytes: 17_475,
    sha1: "aa4ce3ff7bcd8dcf131a4f5445455b3eb4926dcf",
    sha256: "d8aa3bd376aaec7196396e65fe8755f1fdd169e51357f8128ecdc7d23a687450",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "http-auth-aws",
    version: "2.29.52",
    bytes: 158_970,
    sha1: "1d0dbfa072bc46207066ffa498ad4ed65c52ac6d",
    sha256: "7ae124e81ac0c2860bb61fdde34a388dbe823fef8509dd46a6bec805ada90308",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "http-auth-aws-eventstream",
    version: "2.29.52",
    bytes: 8_707,
    sha1: "e8b723c48008bcac96e2cc34c7415bd8b581c601",
    sha256: "565a4aacce955c5ffaed551f6faaaa958e9e92b2f8514c8482f664edb2bab576",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "http-auth-spi",
    version: "2.29.52",
    bytes: 45_764,
    sha1: "4a64e68a88e3eef0b51819f742931f3607cdd996",
    sha256: "7a2168c5a7baa856d7ae9f9c4f7522d2db9f1361108c38f5b6ece66f249e6a2d",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "http-client-spi",
    version: "2.29.52",
    bytes: 87_344,
    sha1: "a8da4f289736c702ec6664836761412e7e1e54a2",
    sha256: "8ea61ce3b527779fbfe119e0775c4b7cfdf274a979b1e50596a634685a5b6542",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "identity-spi",
    version: "2.29.52",
    bytes: 30_965,
    sha1: "0d18449651e8798398cadab6c4b5d8594bb0281c",
    sha256: "85104635abf9e5c044aaf7f8951b63efc2ef82051b5ee303571ee2e1fd8b46d0",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "json-utils",
    version: "2.29.52",
    bytes: 33_224,
    sha1: "d88c6c03061b9f3fcd17dc8456365dab67cc1597",
    sha256: "2652cdb3668311bcff6e643c8612b9fea266423ae1ce33743c84dd7f77904311",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "metrics-spi",
    version: "2.29.52",
    bytes: 27_264,
    sha1: "92c3797208d24b2b25ab9b6d1bbab624c3af1b9c",
    sha256: "1db2e3da338148ee40a716e1733c9a5b99e9e6daa4db3aa8bd7e718adafa2510",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "netty-nio-client",
    version: "2.29.52",
    bytes: 287_867,
    sha1: "20fa79ba82d3b290b12cd10ca49f0ff7608a6107",
    sha256: "07238668c9cf54531ee269fd6e2a1e2650fb75d6774d401f406c2a14f26af654",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "profiles",
    version: "2.29.52",
    bytes: 49_837,
    sha1: "59dd1368bff2d242d84515ec7ea8fe63bb472c4e",
    sha256: "fef84619d101838ba45f48d0caddb09a85d9ed8bf869095bd7d2064796856cf7",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "protocol-core",
    version: "2.29.52",
    bytes: 44_336,
    sha1: "1a0e4a114c0943142ca395000a949ee840890fea",
    sha256: "7b32e41a3743b422d2edec1670f60b4c1e512fcd5ab7a53fef20742d6b9104d1",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "regions",
    version: "2.29.52",
    bytes: 904_015,
    sha1: "0270b31c8695739d495452d380d036c72698e623",
    sha256: "5ee0e26277c679ffa70d83923b0d5f77a53066ecde8610f28be1856947d60eaf",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "retries",
    version: "2.29.52",
    bytes: 66_310,
    sha1: "48cb57817dd88977ec71e63550673c5ce010a191",
    sha256: "ca3752ba31399721980c6398992921ff5aa164e084b4c14484333df58c76a353",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "retries-spi",
    version: "2.29.52",
    bytes: 31_489,
    sha1: "7e2c7ad44106799491de8cced5925b6473d62e4b",
    sha256: "a4218ea742fc9e07a620629d7a258bfd92b8ea3ef75f1b99193d0898ca3efe99",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "s3",
    version: "2.29.52",
    bytes: 3_835_574,
    sha1: "db65bc6177b0c4514be1f9775cb2094e29e85d3c",
    sha256: "abaedea7e68063e9c4ab090f80d14b9884c57b50953bfe6e5acaa23025609efa",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "s3-transfer-manager",
    version: "2.29.52",
    bytes: 249_191,
    sha1: "f1c0be0eb8b227ec537a30eafb4af90c86b82f94",
    sha256: "0c9e654637247187a7e2494eb7a8799477a772a7d554cd3ae787cd3e3bae3c55",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "sdk-core",
    version: "2.29.52",
    bytes: 977_550,
    sha1: "3f058b489fac3d091417339e02b165e72c637f61",
    sha256: "ea8e9856569f85075a8a806d0481c4bd848c98b24fd6d706fc0b5883fc4604dc",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "sts",
    version: "2.29.52",
    bytes: 536_436,
    sha1: "b9bbe3da301b5c0034d4c31e58bf0833ac3b9b85",
    sha256: "6495d0457f4e4c3724d8c9c5fe4f6f98c9530a22f92449c4cca5fd03622e4edb",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "third-party-jackson-core",
    version: "2.29.52",
    bytes: 535_001,
    sha1: "082ff600d837e83130502775a1555c45d7a3e2e1",
    sha256: "eaece3eb60beb8ec09d8a4f48d5bff4110010b03cc23688bdcf2af2eb075cac6",
  },
  {
    group: "software.amazon.awssdk",
    artifact: "utils",
    version: "2.29.52",
    bytes: 226_880,
    sha1: "bde94a15cd79b0240bfa10230970e2f0e4c51eba",
    sha256: "f150a38f2fec14ced2de6459bfe804f647c88baa573b218646ef89b436a29d42",
  },
  {
    group: "software.amazon.eventstream",
    artifact: "eventstream",
    version: "1.0.1",
    bytes: 30_193,
    sha1: "6ff8649dffc5190366ada897ba8525a836297784",
    sha256: "0c37d8e696117f02c302191b8110b0d0eb20fa412fce34c3a269ec73c16ce822",
  },
];

const HIVE_POSTGRES_DRIVER: readonly JarArtifact[] = [
  {
    group: "org.postgresql",
    artifact: "postgresql",
    version: "42.7.14",
    bytes: 1_221_004,
    sha1: "0e7c94ce80cb1dd9875ff44ffe6a40a8aaa3eefd",
    sha256: "73914527305a40cce504b0d3d90b23caf565136912d607ae8ae7c5895512332c",
  },
];

/** The AWS SDK v1 bundle hadoop-aws 3.3.4 declares: measured against the modules, not deployed. */
export const SDK_V1_BUNDLE: JarArtifact = {
  group: "com.amazonaws",
  artifact: "aws-java-sdk-bundle",
  version: "1.12.262",
  bytes: 280_645_251,
  sha1: "02deec3a0ad83d13d032b1812421b23d7a961eea",
  sha256: "873fe7cf495126619997bec21c44de5d992544aea7e632fdc77adb1a0915bae5",
};

/** The AWS SDK v2 bundle hadoop-aws 3.4.2 declares: measured against the modules, not deployed. */
export const SDK_V2_BUNDLE: JarArtifact = {
  group: "software.amazon.awssdk",
  artifact: "bundle",
  version: "2.29.52",
  bytes: 641_534_749,
  sha1: "b63eb928c2ac13bde07746bcfe7fb38bbdb4b5c5",
  sha256: "62638f33045690c6bc5e496b54b0b2e89a9ad38cbedacdf6e017fea6bc85f55c",
};

export const JAR_SETS: Readonly<Record<JarSetName, JarSet>> = {
  "spark-3.5-s3a": {
    name: "spark-3.5-s3a",
    purpose: "s3a for Spark 3.5 (hadoop-aws 3.3.4 + AWS SDK v1 1.12.262 modules)",
    artifacts: SPARK_35_S3A,
  },
  "spark-4.1-s3a": {
    name: "spark-4.1-s3a",
    purpose: "s3a for Spark 4.1 (hadoop-aws 3.4.2 + AWS SDK v2 2.29.52 modules)",
    artifacts: SPARK_41_S3A,
  },
  "hive-postgres-driver": {
    name: "hive-postgres-driver",
    purpose: "a SCRAM-capable PostgreSQL JDBC driver for the Hive Metastore",
    artifacts: HIVE_POSTGRES_DRIVER,
  },
};

/** The s3a set of a Spark line ("3.5", "4.1"), or undefined for a line without one. */
export function sparkS3aSet(line: string): JarSet | undefined {
  return line === "3.5" || line === "4.1" ? JAR_SETS[`spark-${line}-s3a`] : undefined;
}

/** `hadoop-aws-3.4.2.jar`. */
export function jarFileName(a: JarArtifact): string {
  return `${a.artifact}-${a.version}.jar`;
}

/** Path in a Maven-layout repository: `org/apache/hadoop/hadoop-aws/3.4.2/hadoop-aws-3.4.2.jar`. */
export function artifactPath(a: JarArtifact): string {
  return `${a.group.replace(/\./g, "/")}/${a.artifact}/${a.version}/${jarFileName(a)}`;
}

/** URL of an artifact in a repository (`repository` without a trailing slash). */
export function artifactUrl(repository: string, a: JarArtifact): string {
  return `${repository.replace(/\/+$/, "")}/${artifactPath(a)}`;
}

/** `group:artifact:version`. */
export function coordinates(a: JarArtifact): string {
  return `${a.group}:${a.artifact}:${a.version}`;
}

/** Total bytes of a list of artifacts. */
export function totalBytes(artifacts: readonly JarArtifact[]): number {
  return artifacts.reduce((sum, a) => sum + a.bytes, 0);
}

/** Every artifact of every set, each once (what a mirror must hold). */
export function catalogArtifacts(): JarArtifact[] {
  const seen = new Map<string, JarArtifact>();
  for (const set of Object.values(JAR_SETS)) {
    for (const a of set.artifacts) seen.set(coordinates(a), a);
  }
  return [...seen.values()];
}
