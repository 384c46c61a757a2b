using System.Text.Json;
using Pipeline.Engine.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Pipeline.Core.Expressions;
using Pipeline.Engine.Running;
using Pipeline.Server.Runs;

namespace Pipeline.Server.Webhooks;

/// <summary>
/// <c>POST /hooks/&lt;path&gt;</c>: 404 for an unknown path, 413 for a body over the limit, 401 for a
/// missing or wrong signature (or token), 400 for a body that is not JSON, 503 when the hook's
/// secret is not set on the server; otherwise the run starts and the answer is <c>202 Accepted</c>
/// with <c>{ "execution_id", "status_url" }</c>. A delivery id (<c>X-GitHub-Delivery</c> or
/// <c>X-Request-Id</c>) seen before (within 24 hours, across restarts) gets the first answer again,
/// and nothing starts. The payload and the headers reach the run as
/// <c>${trigger.payload...}</c> and <c>${trigger.headers...}</c>.
/// </summary>
public static class WebhookEndpoints
{
    public const long DefaultBodyLimit = 1024 * 1024;

    /// <summary>The headers a delivery id is read from, first found wins.</summary>
    public static readonly string[] DeliveryHeaders = ["X-GitHub-Delivery", "X-Request-Id"];

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app, Func<string, WebhookRoute?> routes, IRunStarter starter,
        long bodyLimit = DefaultBodyLimit, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        app.MapPost("/hooks/{**path}", async (HttpContext http, string path) =>
        {
            var route = routes(WebhookRoute.Normalize(path));
            if (route is null) return Problem(StatusCodes.Status404NotFound, $"no webhook at /hooks/{path}");

            if (http.Request.ContentLength > bodyLimit) return Problem(StatusCodes.Status413PayloadTooLarge, $"the body is over {bodyLimit} bytes");
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = bodyLimit;
            byte[] body;
            try
            {
                using var buffer = new MemoryStream();
                await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
                body = buffer.ToArray();
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, $"the body is over {bodyLimit} bytes");
            }

            if (Refused(route, http.Request, body, environment) is { } refusal) return refusal;

            ExprValue? payload = null;
            if (body.Length > 0)
            {
                try { payload = Evaluator.FromJson(System.Text.Encoding.UTF8.GetString(body)); }
                catch (ExpressionException e) { return Problem(StatusCodes.Status400BadRequest, $"the body is not JSON: {e.Message}"); }
            }

            var deliveryId = DeliveryHeaders.Select(h => http.Request.Headers[h].ToString()).FirstOrDefault(v => v.Length > 0);
            var hookPath = "/hooks/" + route.Path;
            var trigger = new TriggerDetails
            {
                Payload = payload,
                Path = hookPath,
                Headers = http.Request.Headers.Where(h => !IsCredential(h.Key)).ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            };
            var request = new RunRequest(route.Workflow, "webhook", trigger)
            {
                ClaimKey = deliveryId is null ? null : $"webhook:{route.Path}:{deliveryId}",
                TriggerData = TriggerData(hookPath, deliveryId, payload),
            };
            StartedRun run;
            try { run = await starter.StartAsync(request, http.RequestAborted); }
            catch (RunRefusedException e) { return Problem(StatusCodes.Status503ServiceUnavailable, e.Message); }
            var accepted = new Dictionary<string, object?> { ["execution_id"] = run.ExecutionId, ["status_url"] = $"/executions/{run.ExecutionId}" };
            if (run.Replayed) accepted["replayed"] = true;
            return Json(accepted, StatusCodes.Status202Accepted);
        });
        return app;
    }

    /// <summary>Why a delivery is not let in (401, or 503 when the server lacks the hook's secret), or null.</summary>
    private static IResult? Refused(WebhookRoute route, HttpRequest request, byte[] body, Func<string, string?> environment)
    {
        if (route.SecretVariable is null && route.TokenVariable is null) return null; // an open hook (on loopback by default)
        if (route.TokenVariable is { } tokenVariable && environment(tokenVariable) is { Length: > 0 } token
            && WebhookSignature.BearerMatches(token, request.Headers.Authorization.ToString()))
            return null;
        if (route.SecretVariable is { } secretVariable)
        {
            if (environment(secretVariable) is not { Length: > 0 } secret)
                return Problem(StatusCodes.Status503ServiceUnavailable, $"the server has no secret for this hook: set the environment variable {secretVariable}");
            return WebhookSignature.Check(secret, body, request.Headers[WebhookSignature.Header].ToString()) switch
            {
                SignatureCheck.Valid => null,
                SignatureCheck.Missing => Problem(StatusCodes.Status401Unauthorized, $"no {WebhookSignature.Header} header"),
                SignatureCheck.Malformed => Problem(StatusCodes.Status401Unauthorized, $"{WebhookSignature.Header} is not sha256=<64 hex digits>"),
                _ => Problem(StatusCodes.Status401Unauthorized, "the signature does not match the body"),
            };
        }
        return Problem(StatusCodes.Status401Unauthorized, "a bearer token is required");
    }

    /// <summary>
    /// What the store keeps of a delivery: its path, delivery id and payload, written from the payload
    /// as read (not by parsing the body a second time, which a body our reader accepts, with a comment
    /// say, would fail).
    /// </summary>
    private static string TriggerData(string path, string? deliveryId, ExprValue? payload)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("path", path);
            writer.WriteString("delivery", deliveryId);
            writer.WritePropertyName("payload");
            if (payload is null) writer.WriteNullValue();
            else writer.WriteRawValue(payload.ToJson(indented: false));
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Credentials never reach the run's expressions.</summary>
    private static bool IsCredential(string header) =>
        header.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || header.Equals(WebhookSignature.Header, StringComparison.OrdinalIgnoreCase)
        || header.Equals("X-Hub-Signature", StringComparison.OrdinalIgnoreCase) || header.Equals("Cookie", StringComparison.OrdinalIgnoreCase);

    private static IResult Problem(int status, string message) => Json(new Dictionary<string, object?> { ["error"] = message }, status);

    /// <summary>A JSON answer through the source-generated context (see <see cref="PipelineJson"/>).</summary>
    internal static IResult Json(Dictionary<string, object?> body, int status) =>
        Results.Json(body, PipelineJson.Info<Dictionary<string, object?>>(PipelineJson.Compact), statusCode: status);
}
