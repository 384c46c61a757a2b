using Docker.DotNet;
using Docker.DotNet.Models;
using Pipeline.Engine.Events;

namespace Pipeline.Executors.Docker;

/// <summary>
/// Makes sure the image is on the engine, per the task's <c>pull</c>: <c>missing</c> (pull only when
/// absent), <c>always</c>, <c>never</c>. Pull progress is summarised (one line per layer state
/// change would flood the log). Returns null on success, else what went wrong and what to do.
/// </summary>
internal static class ImagePuller
{
    public static async Task<string?> EnsureAsync(DockerClient client, string image, string policy, Action<OutputStream, string> log, CancellationToken cancellationToken)
    {
        var present = await ExistsAsync(client, image, cancellationToken).ConfigureAwait(false);
        if (policy == "never")
            return present ? null : $"image {image} is not on the engine and pull is never; build it, docker load it, or set pull to missing";
        if (present && policy == "missing") return null;

        var (repository, tag) = Split(image);
        log(OutputStream.Stdout, $"pulling {image}");
        var errors = new List<string>();
        var progress = new Progress(m =>
        {
            if (m.Error?.Message is { Length: > 0 } error) errors.Add(error);
            else if (m.Status is { Length: > 0 } status && m.ID is null) log(OutputStream.Stdout, status);
        });
        try
        {
            await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, null, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add(Message(e));
        }
        if (errors.Count == 0 && await ExistsAsync(client, image, cancellationToken).ConfigureAwait(false)) return null;
        var why = errors.Count > 0 ? errors[^1] : "the engine reported no error, yet the image is not there";
        return present
            ? $"pulling {image} failed ({why}); the copy on the engine was not used because pull is always: set pull to missing to use it"
            : $"image {image} is not on the engine and pulling it failed: {why}; check the name and the registry (docker login), or build or docker load the image";
    }

    internal static async Task<bool> ExistsAsync(DockerClient client, string image, CancellationToken cancellationToken)
    {
        try
        {
            await client.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    /// <summary>name[:tag] or name@digest; the tag defaults to latest. A registry's port (host:5000/name) is not a tag.</summary>
    internal static (string Repository, string Tag) Split(string image)
    {
        if (image.Contains('@')) return (image, "");
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    /// <summary>The engine's message from an API error's JSON body.</summary>
    internal static string Message(DockerApiException e)
    {
        if (string.IsNullOrWhiteSpace(e.ResponseBody)) return e.Message;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(e.ResponseBody);
            if (json.RootElement.TryGetProperty("message", out var m) && m.GetString() is { Length: > 0 } message) return message;
        }
        catch (System.Text.Json.JsonException) { }
        return e.ResponseBody.Trim();
    }

    /// <summary>Reports synchronously (System.Progress posts to the thread pool, and lines would arrive out of order or late).</summary>
    internal sealed class Progress(Action<JSONMessage> report) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => report(value);
    }
}
