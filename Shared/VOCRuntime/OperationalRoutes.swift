import Hummingbird
import Prometheus

/// `/healthz` (the process is alive), `/readyz` (its dependencies answer) and
/// `/metrics` (Prometheus text format), on every service's HTTP port.
public enum OperationalRoutes {
    public static func add<Context: RequestContext>(to router: Router<Context>, readiness: Readiness,
                                                    registry: PrometheusCollectorRegistry = Observability.registry) {
        router.get("/healthz") { _, _ in
            HTTPResponses.json(["status": "ok"])
        }
        router.get("/readyz") { _, _ in
            let failing = await readiness.failing()
            if failing.isEmpty { return HTTPResponses.json(["status": "ready"]) }
            return HTTPResponses.problem(Problem(type: "/problems/not-ready", title: "Not ready", status: 503,
                                                 detail: "failing: \(failing.joined(separator: ", "))"))
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
