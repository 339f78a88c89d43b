//! A local DingTalk emulator for tests (being built).
