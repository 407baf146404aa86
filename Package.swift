// swift-tools-version:6.0
// The wok station controller: a pure core, thin shells around it, and a simulator that runs whole
// cooks in virtual time. Arrows point one way: executables -> daemon -> simulator -> hardware -> core;
// daemon -> wire -> core and daemon -> system; wokctl -> client -> wire, system (never the daemon);
// wokctl -> watch -> wire, plot; wokweb -> web -> client, wire, system (never the daemon);
// wokweb, wokctl -> pairing -> system.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "WokStation",
    products: [
        .executable(name: "wokctl", targets: ["wokctl"]),
        .executable(name: "wokd", targets: ["wokd"]),
        .executable(name: "wok-bench", targets: ["wok-bench"]),
        .executable(name: "wokd-bench", targets: ["wokd-bench"]),
        .executable(name: "wok-rig-plant", targets: ["wok-rig-plant"]),
        .executable(name: "wokweb", targets: ["wokweb"]),
        .executable(name: "wokmqtt", targets: ["wokmqtt"]),
        .executable(name: "wokmqtt-bench", targets: ["wokmqtt-bench"]),
    ],
    targets: [
        // Recipes, station, control, the cook session and safety. Standard library only.
        .target(
            name: "WokCore", path: "Sources/WokCore", swiftSettings: strict,
            // Rounding in the standard library calls libm on Linux.
            linkerSettings: [.linkedLibrary("m")]),
        // C shims for what Swift cannot call: the i2c-dev ioctls around libi2c's SMBus calls, and
        // libgpiod behind one API whether the system has libgpiod 1.x or 2.x.
        .target(
            name: "CWokI2C", path: "Hardware/CShims/CWokI2C", linkerSettings: [.linkedLibrary("i2c")]),
        .target(
            name: "CWokGPIO", path: "Hardware/CShims/CWokGPIO", linkerSettings: [.linkedLibrary("gpiod")]),
        // Device drivers: the MCP9600 driver, the Linux I2C transport, GPIO relays, the probe.
        .target(
            name: "WokHardware", dependencies: ["WokCore", "CWokI2C", "CWokGPIO"], path: "Hardware",
            exclude: ["CShims"], swiftSettings: strict),
        // The thermal plant, simulated devices, a virtual cook, fault injection and the cook runner.
        .target(
            name: "WokSimulator", dependencies: ["WokCore", "WokHardware"], path: "Simulator",
            exclude: ["Plants"], swiftSettings: strict),
        // The fault campaign on every core, its report in the same order as run one by one.
        .target(
            name: "WokCampaign", dependencies: ["WokSimulator"], path: "Sources/WokCampaign", swiftSettings: strict),
        // The Linux calls Swift cannot reach on its own (SO_PEERCRED, signalfd, flock).
        .target(name: "CWokSystem", path: "Sources/CWokSystem"),
        // The system layer of the daemon and its clients: one errno type, small files, clocks, the
        // bounded line framer, Unix sockets and peer credentials, signals, ppoll, the state lock.
        .target(name: "WokSystem", dependencies: ["CWokSystem"], path: "Sources/WokSystem", swiftSettings: strict),
        // The control socket's language: typed requests, responses, snapshot and events, each with
        // one JSON mapping, the version and the bounds. No I/O.
        .target(name: "WokWire", dependencies: ["WokCore"], path: "Sources/WokWire", swiftSettings: strict),
        // A blocking client of the control socket, for wokctl, the benchmarks and later bridges.
        .target(name: "WokClient", dependencies: ["WokWire", "WokSystem"], path: "Sources/WokClient", swiftSettings: strict),
        // The system's SQLite, from Debian's libsqlite3-dev.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The cook history: every cook, its stages, events and samples in a SQLite database.
        .target(name: "WokHistory", dependencies: ["WokCore", "CSQLite"], path: "Sources/WokHistory", swiftSettings: strict),
        // Pictures of a cook: SVG plots and Unicode terminal charts. Standard library only.
        .target(name: "WokPlot", path: "Sources/WokPlot", swiftSettings: strict),
        // The live screen of `wokctl watch`: its layout for any terminal size, big digits, the keys,
        // the bell's repeats and the reconnect backoff. Pure: no I/O, time passed in.
        .target(name: "WokWatch", dependencies: ["WokCore", "WokWire", "WokPlot"], path: "Sources/WokWatch", swiftSettings: strict),
        // The real-time loop, the control socket and its protocol, systemd notification.
        .target(
            name: "WokDaemon", dependencies: ["WokCore", "WokHardware", "WokSimulator", "WokHistory", "WokSystem", "WokWire"],
            path: "Sources/WokDaemon", swiftSettings: strict),
        .executableTarget(
            name: "wokd", dependencies: ["WokCore", "WokSimulator", "WokDaemon", "WokHistory", "WokSystem"], path: "Sources/wokd",
            swiftSettings: strict),
        .executableTarget(
            name: "wokctl",
            dependencies: [
                "WokCore", "WokHardware", "WokSimulator", "WokHistory", "WokPlot", "WokSystem", "WokWire", "WokClient", "WokWatch", "WokPairing",
            ],
            path: "Sources/wokctl", swiftSettings: strict),
        // The daemon's benchmark: memory, CPU and loop jitter of a running `wokd --simulate`.
        .executableTarget(
            name: "wokd-bench", dependencies: ["WokCore", "WokSystem", "WokWire", "WokClient", "wokd"], path: "Sources/wokd-bench",
            swiftSettings: strict),
        // The kernel-level rig's plant: the thermal model against i2c-stub and gpio-sim, inside a VM.
        // The logic is a library so it is tested; the executable only reads its command line.
        .target(
            name: "WokRigPlant", dependencies: ["WokCore", "WokHardware", "WokSimulator", "CWokI2C"],
            path: "Sources/WokRigPlant", swiftSettings: strict),
        .executableTarget(
            name: "wok-rig-plant", dependencies: ["WokRigPlant", "WokSimulator"],
            path: "Sources/wok-rig-plant", swiftSettings: strict),
        // Debian's libmosquitto, the MQTT client of the bridge.
        .systemLibrary(name: "CMosquitto", path: "Sources/CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        // Commands the station names, run on cook events: spawned, rate limited, timed out.
        .target(name: "CWokSpawn", path: "Sources/CWokSpawn"),
        .target(name: "WokNotify", dependencies: ["WokCore", "WokWire", "WokSystem", "CWokSpawn"], path: "Sources/WokNotify", swiftSettings: strict),
        // The MQTT bridge's logic: its config, topics, Home Assistant discovery, state, remote
        // commands and their policy, and the broker link on its own thread.
        .target(
            name: "WokMQTT", dependencies: ["WokCore", "WokWire", "WokSystem", "WokClient", "WokNotify", "CMosquitto"],
            path: "Sources/WokMQTT", swiftSettings: strict),
        // A client of the control socket: wokd keeps no network, this process talks to the broker.
        .executableTarget(
            name: "wokmqtt", dependencies: ["WokMQTT", "WokSystem"], path: "Sources/wokmqtt", swiftSettings: strict),
        // The bridge's benchmark: its memory and CPU during a cook, and wokd-to-subscriber latency.
        .executableTarget(
            name: "wokmqtt-bench", dependencies: ["CMosquitto", "WokClient", "WokSystem", "WokWire", "WokCore", "wokmqtt", "wokd"],
            path: "Sources/wokmqtt-bench", swiftSettings: strict),
        .executableTarget(
            name: "wok-bench", dependencies: ["WokCore", "WokSimulator", "WokCampaign", "WokHistory"], path: "Sources/wok-bench",
            swiftSettings: strict),
        // Browser pairing for wokweb: codes, tokens and their files. Its own target so that wokctl
        // (`wokctl web pair`) shares it without linking libmicrohttpd.
        .target(name: "WokPairing", dependencies: ["WokSystem"], path: "Sources/WokPairing", swiftSettings: strict),
        // GNU libmicrohttpd (Debian's libmicrohttpd-dev) and the wrappers for its variadic calls.
        .target(name: "CWokWeb", path: "Sources/CWokWeb", linkerSettings: [.linkedLibrary("microhttpd")]),
        // The station's page: HTTP, the event streams, pairing, metrics, and the page's files
        // (Page/, installed beside wokweb). A client of the control socket, never of the daemon.
        .target(
            name: "WokWeb", dependencies: ["CWokWeb", "WokCore", "WokWire", "WokClient", "WokSystem", "WokPairing"], path: "Sources/WokWeb",
            exclude: ["Page"], swiftSettings: strict),
        .executableTarget(
            name: "wokweb", dependencies: ["WokWeb", "WokPairing", "WokSystem", "WokClient"], path: "Sources/wokweb", swiftSettings: strict),
        .testTarget(name: "WokCoreTests", dependencies: ["WokCore"], path: "Tests/WokCoreTests"),
        .testTarget(
            name: "WokHardwareTests", dependencies: ["WokCore", "WokHardware", "WokSimulator"],
            path: "Tests/WokHardwareTests"),
        .testTarget(
            name: "WokSimulatorTests", dependencies: ["WokCore", "WokHardware", "WokSimulator", "WokCampaign"],
            path: "Tests/WokSimulatorTests"),
        .testTarget(
            name: "WokDaemonTests", dependencies: ["WokCore", "WokSimulator", "WokDaemon", "WokSystem", "WokWire", "WokClient"],
            path: "Tests/WokDaemonTests"),
        .testTarget(
            name: "WokHistoryTests", dependencies: ["WokCore", "WokSimulator", "WokDaemon", "WokHistory", "WokPlot", "WokSystem", "WokWire"],
            path: "Tests/WokHistoryTests"),
        .testTarget(
            name: "WokRigPlantTests", dependencies: ["WokRigPlant", "WokHardware", "WokSimulator"],
            path: "Tests/WokRigPlantTests"),
        // The bridge's logic, and the built `wokmqtt` against a real mosquitto and a real `wokd --simulate`.
        .testTarget(
            name: "WokMQTTTests",
            dependencies: ["WokMQTT", "WokNotify", "WokCore", "WokWire", "WokSystem", "WokClient", "CMosquitto", "wokmqtt", "wokd", "wokctl"],
            path: "Tests/WokMQTTTests"),
        // Runs the built `wokctl` and `wokd` as a person would; depending on them makes SwiftPM build them first.
        .testTarget(
            name: "WokctlTests",
            dependencies: [
                "wokctl", "wokd", "WokCore", "WokSimulator", "WokDaemon", "WokHistory", "WokSystem", "WokWire", "WokClient", "WokWatch",
                "WokPairing",
            ],
            path: "Tests/WokctlTests"),
        // wokweb's rules as units, and the real wokweb against a real `wokd --simulate`.
        .testTarget(
            name: "WokWebTests", dependencies: ["WokWeb", "WokPairing", "WokCore", "WokWire", "WokSystem", "wokweb", "wokd", "wokctl"],
            // The headless browser's driver is a Python script the tests run, not a source.
            path: "Tests/WokWebTests", exclude: ["Browser"]),
    ],
    swiftLanguageModes: [.v6]
)
