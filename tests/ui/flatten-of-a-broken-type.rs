use dingbot::DingMessage;

// The mistake in `Common` is reported once; `flatten` of it adds no error.
#[derive(DingMessage)]
#[ding(title = "{servce}")]
struct Common {
    service: String,
}

#[derive(DingMessage)]
#[ding(title = "Deploy started")]
struct DeployStarted {
    #[ding(flatten)]
    common: Common,
}

fn main() {}
