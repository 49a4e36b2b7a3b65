namespace DrivePerception.Node.Evaluation;

/// <summary>
/// Where an instance-labelled dataset keeps a split's images and object masks. Two layouts, told apart by the
/// folders present (<see cref="Detect"/>):
/// <list type="bullet">
/// <item><see cref="PennFudan"/>: images/NAME.jpg|png, masks/NAME_mask.png (0 background, value k object k), SPLIT.txt;
/// every object is a pedestrian.</item>
/// <item><see cref="Synthetic"/>, as <c>synth --dataset</c> writes it: images/SPLIT/NAME.png, instances/SPLIT/NAME.png
/// (16-bit object ids), groundtruth/SPLIT/NAME.json (each id's class), SPLIT.txt.</item>
/// </list>
/// </summary>
public sealed class InstanceLayout
{
    private const string MasksFolderName = "masks";
    private const string InstancesFolderName = "instances";
    private const string GroundTruthFolderName = "groundtruth";

    private InstanceLayout(string name, bool splitFolders, string? onlyClass)
    {
        Name = name;
        SplitFolders = splitFolders;
        OnlyClass = onlyClass;
    }

    /// <summary>Penn-Fudan pedestrians: images/NAME.jpg|png, masks/NAME_mask.png, SPLIT.txt.</summary>
    public static InstanceLayout PennFudan { get; } = new("Penn-Fudan", splitFolders: false, onlyClass: "pedestrian");

    /// <summary>A synthetic dataset (<c>synth --dataset</c>): images/SPLIT/NAME.png, instances/SPLIT/NAME.png, groundtruth/SPLIT/NAME.json, SPLIT.txt.</summary>
    public static InstanceLayout Synthetic { get; } = new("synthetic", splitFolders: true, onlyClass: null);

    /// <summary>Name shown in the output and in messages.</summary>
    public string Name { get; }

    /// <summary>Whether images and masks sit in a subfolder named after the split.</summary>
    public bool SplitFolders { get; }

    /// <summary>The one class every object of this layout is, or null when a per-frame file names each object's class.</summary>
    public string? OnlyClass { get; }

    /// <summary>Whether each frame has a ground-truth JSON naming its objects' classes.</summary>
    public bool HasClassFile => OnlyClass is null;

    /// <summary>The folder of a split's images.</summary>
    public string ImagesFolder(string dir, string split) => SplitFolders ? Path.Combine(dir, "images", split) : Path.Combine(dir, "images");

    /// <summary>The folder of a split's object-id masks.</summary>
    public string MasksFolder(string dir, string split) =>
        SplitFolders ? Path.Combine(dir, InstancesFolderName, split) : Path.Combine(dir, MasksFolderName);

    /// <summary>The object-id mask of frame <paramref name="name"/> in <paramref name="masksFolder"/>.</summary>
    public string MaskFile(string masksFolder, string name) => Path.Combine(masksFolder, SplitFolders ? name + ".png" : name + "_mask.png");

    /// <summary>The folder of a split's class files (synthetic only), else null.</summary>
    public string? ClassFilesFolder(string dir, string split) => HasClassFile ? Path.Combine(dir, GroundTruthFolderName, split) : null;

    /// <summary>The layout in words, for error messages.</summary>
    public string Describe(string split) => SplitFolders
        ? $"a {Name} dataset folder (synth --dataset DIR) holds {split}.txt (frame names, one per line), images/{split}/NAME.png, "
            + $"{InstancesFolderName}/{split}/NAME.png (16-bit object ids, 0 background) and {GroundTruthFolderName}/{split}/NAME.json (each id's class)"
        : $"a {Name} dataset folder holds {split}.txt (frame names, one per line), images/NAME.jpg or .png and "
            + $"{MasksFolderName}/NAME_mask.png (8-bit, 0 background, value k object k)";

    /// <summary>
    /// The layout of <paramref name="dir"/> (which exists): synthetic when it has instances/ and groundtruth/,
    /// Penn-Fudan when it has masks/.
    /// </summary>
    /// <exception cref="EvalInputException">Neither layout's folders are there, or both are.</exception>
    public static InstanceLayout Detect(string dir, string split)
    {
        bool synthetic = Directory.Exists(Path.Combine(dir, InstancesFolderName)) && Directory.Exists(Path.Combine(dir, GroundTruthFolderName));
        bool pennFudan = Directory.Exists(Path.Combine(dir, MasksFolderName));
        if (synthetic && pennFudan)
            throw new EvalInputException($"{dir} holds both {MasksFolderName}/ (Penn-Fudan layout) and {InstancesFolderName}/ with {GroundTruthFolderName}/ "
                + "(synthetic layout): keep one dataset per folder so it is clear which labels are scored.");
        if (synthetic) return Synthetic;
        if (pennFudan) return PennFudan;
        throw new EvalInputException($"{dir} is not an instance dataset: looked for {MasksFolderName}/ ({PennFudan.Describe(split)}) "
            + $"and for {InstancesFolderName}/ with {GroundTruthFolderName}/ ({Synthetic.Describe(split)}); found neither.");
    }
}
