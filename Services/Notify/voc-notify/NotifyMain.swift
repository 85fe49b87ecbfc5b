import Notify
import VOCRuntime

/// `voc-notify`: runs the notify stage and the inbox API until SIGTERM/SIGINT.
@main
struct NotifyMain {
    static func main() async throws {
        try await ServiceMain.run("voc-notify", NotifyApp.build(configuration:logger:))
    }
}
