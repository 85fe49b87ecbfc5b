import Foundation

// Two builds of one executable. For libFuzzer (`-DVOC_FUZZING`, see scripts/fuzz.sh) the
// entry point picks the target from the first argument and hands the rest to libFuzzer's
// driver. An ordinary build replays inputs through a target once, so a reproducer can
// be run under the debugger of a debug build.

#if VOC_FUZZING
typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: FuzzCallback) -> CInt

/// The target of this process, set once before the driver starts.
nonisolated(unsafe) var selectedTarget: FuzzTarget?

/// SwiftPM links an executable's entry point as `<module>_main`, so this is `main`.
@_cdecl("voc_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    let arguments = (0..<Int(argc)).map { String(cString: argv[$0]!) }
    if arguments.count >= 2, arguments[1] == "--list" {
        FuzzTarget.all.forEach { print($0.name) }
        return 0
    }
    var count = argc
    var rest: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    if arguments.count >= 2, let target = FuzzTarget.named(arguments[1]) {
        selectedTarget = target
        // libFuzzer sees the program name and the arguments after the target's name; the
        // processes it starts itself (-merge, -fork) find the target in the environment.
        setenv("VOC_FUZZ_TARGET", target.name, 1)
        argv[1] = argv[0]
        count = argc - 1
        rest = argv + 1
    } else if let name = ProcessInfo.processInfo.environment["VOC_FUZZ_TARGET"], let target = FuzzTarget.named(name) {
        selectedTarget = target
    } else {
        Usage.print(to: .standardError)
        return 2
    }
    return LLVMFuzzerRunDriver(&count, &rest) { data, size in
        selectedTarget!.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
#else
@main
struct Replay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--list" {
            FuzzTarget.all.forEach { print($0.name) }
            return
        }
        guard arguments.count >= 2, let target = FuzzTarget.named(arguments[0]) else {
            Usage.print(to: .standardError)
            exit(2)
        }
        var count = 0
        for path in arguments.dropFirst() {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                FileHandle.standardError.write(Data("voc-fuzz: \(path) does not exist\n".utf8))
                exit(2)
            }
            let files = isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { "\(path)/\($0)" }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                data.withUnsafeBytes { target.run($0) }
                count += 1
            }
        }
        print("voc-fuzz: \(target.name): \(count) inputs replayed, no finding")
    }
}
#endif

enum Usage {
    static func print(to handle: FileHandle) {
        var text = "usage: voc-fuzz <target> [libFuzzer flags] [corpus folders]   (fuzz build)\n"
        text += "       voc-fuzz <target> <files or folders>                     (ordinary build: replay)\n"
        text += "       voc-fuzz --list\ntargets:\n"
        for target in FuzzTarget.all { text += "  \(target.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(target.summary)\n" }
        handle.write(Data(text.utf8))
    }
}
