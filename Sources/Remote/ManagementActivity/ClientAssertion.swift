import Crypto
import Foundation
import _CryptoExtras

/// The signed JWT a confidential client presents instead of a secret (Microsoft identity platform "certificate
/// credentials"): RS256 over `header.claims`, the header naming the certificate by `x5t`.
public struct ClientAssertion: Sendable {
    public var clientID: String
    /// The token endpoint the assertion is for (`aud`).
    public var audience: URL
    public var issuedAt: Date
    /// How long the assertion is valid; the identity platform only needs it for the one token request.
    public var lifetime: TimeInterval = 600
    /// `jti`: unique per assertion so it cannot be replayed.
    public var id: String = UUID().uuidString

    public init(clientID: String, audience: URL, issuedAt: Date) {
        self.clientID = clientID
        self.audience = audience
        self.issuedAt = issuedAt
    }

    /// The compact JWS: base64url(header) . base64url(claims) . base64url(RSASSA-PKCS1-v1_5 SHA-256 signature).
    public func signed(with certificate: ClientCertificate) throws -> String {
        let header: [String: String] = ["alg": "RS256", "typ": "JWT", "x5t": certificate.thumbprint.base64URLEncoded]
        let issued = Int(issuedAt.timeIntervalSince1970)
        let claims: [String: Any] = [
            "aud": audience.absoluteString, "iss": clientID, "sub": clientID, "jti": id,
            "iat": issued, "nbf": issued, "exp": issued + Int(lifetime),
        ]
        let encodedHeader = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]).base64URLEncoded
        let encodedClaims = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]).base64URLEncoded
        let signingInput = encodedHeader + "." + encodedClaims
        let signature = try certificate.privateKey.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
        return signingInput + "." + signature.rawRepresentation.base64URLEncoded
    }
}

extension Data {
    /// Base64url without padding (RFC 7515 §2), as JWTs and `x5t` use it.
    public var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
