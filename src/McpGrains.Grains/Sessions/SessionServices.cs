using McpGrains.Configuration;
using McpGrains.OAuth;
using McpGrains.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Grains.Sessions;

/// <summary>
/// The silo's services a session is built from (see <see cref="SessionParts"/>), resolved per activation: transient,
/// because the token client is a typed <see cref="HttpClient"/>.
/// </summary>
public sealed class SessionServices(
    IOptions<McpGrainsOptions> options,
    KeyRing keyRing,
    ISecretProtector protector,
    AuthorizationStateCodec stateCodec,
    SignInTicketCodec ticketCodec,
    TokenClient tokenClient,
    IHttpMessageHandlerFactory handlerFactory,
    ILoggerFactory loggerFactory,
    TimeProvider time)
{
    public McpGrainsOptions Options => options.Value;

    public KeyRing KeyRing => keyRing;

    public ISecretProtector Protector => protector;

    public AuthorizationStateCodec StateCodec => stateCodec;

    public SignInTicketCodec TicketCodec => ticketCodec;

    public TokenClient TokenClient => tokenClient;

    public IHttpMessageHandlerFactory HandlerFactory => handlerFactory;

    public ILoggerFactory LoggerFactory => loggerFactory;

    public TimeProvider Time => time;
}
