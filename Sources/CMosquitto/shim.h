// Debian's libmosquitto (libmosquitto-dev): the MQTT client under wokmqtt.
#include <mosquitto.h>
