using System.Text;
using Pipeline.Server.Webhooks;

namespace Pipeline.Server.Tests;

public sealed class WebhookSignatureTests
{
    // GitHub's published example (docs: "Validating webhook deliveries").
    private const string Secret = "It's a Secret to Everybody";
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("Hello, World!");
    private const string Signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void GitHubs_example_delivery_is_valid_and_signing_it_gives_GitHubs_signature()
    {
        Assert.Equal(SignatureCheck.Valid, WebhookSignature.Check(Secret, Payload, Signature));
        Assert.Equal(Signature, WebhookSignature.Sign(Secret, Payload));
    }

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", SignatureCheck.Malformed)]
    [InlineData("sha256=757107ea", SignatureCheck.Malformed)]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", SignatureCheck.Malformed)]
    [InlineData("sha256=857107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", SignatureCheck.Mismatch)]
    public void Anything_else_is_refused_with_what_was_wrong(string? header, SignatureCheck expected) =>
        Assert.Equal(expected, WebhookSignature.Check(Secret, Payload, header));

    [Fact]
    public void The_same_signature_for_another_body_or_secret_is_a_mismatch()
    {
        Assert.Equal(SignatureCheck.Mismatch, WebhookSignature.Check(Secret, Encoding.UTF8.GetBytes("Hello, World?"), Signature));
        Assert.Equal(SignatureCheck.Mismatch, WebhookSignature.Check("another secret", Payload, Signature));
    }

    [Fact]
    public void A_bearer_token_matches_only_itself()
    {
        Assert.True(WebhookSignature.BearerMatches("t0ken-value", "Bearer t0ken-value"));
        Assert.True(WebhookSignature.BearerMatches("t0ken-value", "bearer t0ken-value"));
        Assert.False(WebhookSignature.BearerMatches("t0ken-value", "Bearer t0ken-valuE"));
        Assert.False(WebhookSignature.BearerMatches("t0ken-value", "Basic t0ken-value"));
        Assert.False(WebhookSignature.BearerMatches("t0ken-value", null));
    }
}
