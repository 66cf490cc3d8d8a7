import BypassAuditor

extension RemoteHTTPConfiguration {
    /// A client configuration for talking to a `LoopbackHTTPServer` from inside the test process.
    ///
    /// The server's handlers run on the same cooperative thread pool as every other test. On a 2-core machine running
    /// the whole suite, a few long synchronous tests can hold both of its threads for a minute, so an answer the server
    /// already had ready reaches the client late. With the product's 60 s request timeout that late answer became a
    /// transport fault and a retry, and tests that count requests saw two. Tests that want the retry path provoke it
    /// on purpose (a status, a refused connection), never through a timeout, so the request timeout here is long.
    public static func loopback(
        connectTimeout: Duration = .seconds(10), retry: RetryPolicy = .standard
    ) -> RemoteHTTPConfiguration {
        RemoteHTTPConfiguration(connectTimeout: connectTimeout, requestTimeout: .seconds(600), retry: retry)
    }
}
