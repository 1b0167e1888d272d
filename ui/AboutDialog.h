#pragma once

class QWidget;

// Name, version, licence and where to learn more.
void showAboutDialog(QWidget *parent);
