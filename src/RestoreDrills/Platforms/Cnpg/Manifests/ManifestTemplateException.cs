namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>A template cannot be rendered: a variable is missing or a placeholder is misplaced.</summary>
public sealed class ManifestTemplateException(string message) : Exception(message);
