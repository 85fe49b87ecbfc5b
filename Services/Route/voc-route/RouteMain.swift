import Route
import VOCRuntime

/// `voc-route`: runs route until SIGTERM/SIGINT.
@main
struct RouteMain {
    static func main() async throws {
        try await ServiceMain.run("voc-route", RouteApp.build(configuration:logger:))
    }
}
