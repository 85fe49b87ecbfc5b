import Hummingbird
import Logging

/// The request context of the ingest API: the core context plus the gateway that
/// authenticated.
public struct IngestRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var gateway: GatewayIdentity?

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}

/// Who is calling: a gateway key (`Authorization: Bearer …` or `X-Api-Key`) when a keys
/// file is configured; otherwise every caller is let in under its `X-Gateway-Id`.
struct GatewayAuthMiddleware: RouterMiddleware {
    typealias Context = IngestRequestContext

    let keyring: GatewayKeyring?
    let openRate: Double
    let openBurst: Double

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let keyring {
            guard let key = Self.presentedKey(request.headers) else {
                return Answer.unauthorized("send the gateway's API key as Authorization: Bearer <key> or X-Api-Key").response
            }
            guard let identity = keyring.identify(key: key) else {
                return Answer.unauthorized("the API key is not known (revoked or mistyped)").response
            }
            context.gateway = identity
        } else {
            context.gateway = .unauthenticated(id: request.headers[.gatewayID], rate: openRate, burst: openBurst)
        }
        context.logger[metadataKey: "gateway"] = "\(context.gateway!.id)"
        return try await next(request, context)
    }

    static func presentedKey(_ headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let key = parts[1].trimmingCharacters(in: .whitespaces)
                return key.isEmpty ? nil : key
            }
            return nil
        }
        if let key = headers[.apiKey], !key.isEmpty { return key }
        return nil
    }
}
